package org.openstack.glanceimport.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;

/**
 * What OpenShift's SCC nonroot-v2 (4.11 and later) admits, as far as a pod spec decides it: any non-root uid
 * (runAsUser MustRunAsNonRoot), any fsGroup and supplemental groups (RunAsAny), all capabilities dropped and at most
 * NET_BIND_SERVICE added, no privilege escalation, no privileged or host namespaces or ports, seccomp runtime/default,
 * and only configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected and secret volumes.
 * restricted-v2 differs in runAsUser (MustRunAsRange: a uid of the namespace's range), which a fixed uid fails.
 */
public final class SccNonrootV2 {

    private static final Set<String> VOLUMES = Set.of("configMap", "csi", "downwardAPI", "emptyDir", "ephemeral",
            "persistentVolumeClaim", "projected", "secret");

    private SccNonrootV2() {
    }

    /** Why nonroot-v2 would refuse the pod; empty when it admits it. */
    public static List<String> refusals(PodSpec pod) {
        List<String> out = new ArrayList<>();
        if (Boolean.TRUE.equals(pod.getHostNetwork()) || Boolean.TRUE.equals(pod.getHostPID()) || Boolean.TRUE.equals(pod.getHostIPC())) {
            out.add("host namespaces");
        }
        var psc = pod.getSecurityContext();
        Long podUid = psc == null ? null : psc.getRunAsUser();
        boolean podNonRoot = psc != null && Boolean.TRUE.equals(psc.getRunAsNonRoot());
        String podSeccomp = psc == null || psc.getSeccompProfile() == null ? null : psc.getSeccompProfile().getType();
        for (Container c : Stream.concat(pod.getInitContainers().stream(), pod.getContainers().stream()).toList()) {
            var sc = c.getSecurityContext();
            String name = c.getName();
            Long uid = sc != null && sc.getRunAsUser() != null ? sc.getRunAsUser() : podUid;
            boolean nonRoot = (sc != null && Boolean.TRUE.equals(sc.getRunAsNonRoot())) || podNonRoot;
            if (uid != null ? uid == 0 : !nonRoot) {
                out.add(name + ": may run as root (runAsUser MustRunAsNonRoot)");
            }
            if (sc == null || !Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
                out.add(name + ": allowPrivilegeEscalation is not false");
            }
            if (sc != null && Boolean.TRUE.equals(sc.getPrivileged())) {
                out.add(name + ": privileged");
            }
            if (sc == null || sc.getCapabilities() == null || !sc.getCapabilities().getDrop().contains("ALL")) {
                out.add(name + ": does not drop ALL capabilities");
            } else if (!Set.of("NET_BIND_SERVICE").containsAll(sc.getCapabilities().getAdd())) {
                out.add(name + ": adds capabilities " + sc.getCapabilities().getAdd());
            }
            String seccomp = sc != null && sc.getSeccompProfile() != null ? sc.getSeccompProfile().getType() : podSeccomp;
            if (seccomp != null && !"RuntimeDefault".equals(seccomp)) {
                out.add(name + ": seccomp " + seccomp);
            }
            if (c.getPorts().stream().anyMatch(p -> p.getHostPort() != null)) {
                out.add(name + ": host port");
            }
        }
        for (Volume v : pod.getVolumes()) {
            String type = volumeType(v);
            if (!VOLUMES.contains(type)) {
                out.add("volume " + v.getName() + ": type " + type);
            }
        }
        return out;
    }

    private static String volumeType(Volume v) {
        if (v.getConfigMap() != null) {
            return "configMap";
        } else if (v.getSecret() != null) {
            return "secret";
        } else if (v.getEmptyDir() != null) {
            return "emptyDir";
        } else if (v.getPersistentVolumeClaim() != null) {
            return "persistentVolumeClaim";
        } else if (v.getProjected() != null) {
            return "projected";
        } else if (v.getDownwardAPI() != null) {
            return "downwardAPI";
        } else if (v.getCsi() != null) {
            return "csi";
        } else if (v.getEphemeral() != null) {
            return "ephemeral";
        }
        return v.getHostPath() != null ? "hostPath" : "other";
    }
}
