package org.openstack.glanceimport.pod;

import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.config.GlancePaths;
import org.openstack.glanceimport.config.RenderedConfig;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.openshift.SccAdmission;

/** What every pod running Glance code needs, whether it serves the API or migrates the database. */
public final class GlancePod {

    /** uid/gid of glance in the OpenStack container images; fsGroup makes the staging claim writable for it. */
    static final long GLANCE_UID = 42415L;

    private GlancePod() {
    }

    /** The restricted Pod Security Standard. */
    public static PodSecurityContext podSecurityContext() {
        return new PodSecurityContextBuilder()
                .withRunAsNonRoot(true)
                .withRunAsUser(GLANCE_UID)
                .withRunAsGroup(GLANCE_UID)
                .withFsGroup(GLANCE_UID)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .build();
    }

    public static SecurityContext containerSecurityContext() {
        return new SecurityContextBuilder()
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withRunAsNonRoot(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .build();
    }

    /**
     * Explicit files, not --config-dir: oslo.config would also read the image's own /etc/glance/glance-api.conf, and the
     * stores' data files beside them (a Ceph or Swift configuration, a CA) are no glance configuration.
     */
    public static List<String> configFileArgs(RenderedConfig rendered) {
        List<String> args = new ArrayList<>();
        rendered.configFiles().keySet().stream().filter(GlancePaths::isGlanceConfig).sorted()
                .forEach(f -> args.addAll(List.of("--config-file", GlancePaths.configFile(f))));
        rendered.secretFiles().keySet().stream().filter(GlancePaths::isGlanceConfig).sorted()
                .forEach(f -> args.addAll(List.of("--config-file", GlancePaths.configFile(f))));
        return args;
    }

    /** The rendered ConfigMap and Secret in one read-only directory, and a writable /tmp under a read-only root. */
    public static List<Volume> configAndTmpVolumes(GlanceAPI api) {
        return List.of(new VolumeBuilder().withName("config").withNewProjected().withDefaultMode(0440)
                .addNewSource().withNewConfigMap().withName(Names.configMap(api)).endConfigMap().endSource()
                .addNewSource().withNewSecret().withName(Names.secret(api)).endSecret().endSource()
                .endProjected().build(),
                new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build());
    }

    public static List<VolumeMount> configAndTmpMounts() {
        return List.of(mount("config", GlancePaths.CONFIG_DIR, true), mount("tmp", "/tmp", false));
    }

    /**
     * The pod of a Job running a Glance command once (db-sync, db purge, cache maintenance): the Glance configuration,
     * a writable /tmp, the pods' security and placement.
     */
    public static PodSpecBuilder jobPod(GlanceAPI api, Context<GlanceAPI> context, String restartPolicy) {
        return new PodSpecBuilder()
                .withRestartPolicy(restartPolicy)
                .withServiceAccountName(SccAdmission.podServiceAccount(api, context))
                .withAutomountServiceAccountToken(false)
                .withEnableServiceLinks(false)
                .withSecurityContext(podSecurityContext())
                .withNodeSelector(api.getSpec().nodeSelector)
                .withTolerations(api.getSpec().tolerations)
                .withVolumes(configAndTmpVolumes(api));
    }

    /** A container running a Glance command with the rendered configuration files. */
    public static Container command(String name, RenderedConfig rendered, String program, List<String> arguments) {
        List<String> command = new ArrayList<>(List.of(program));
        command.addAll(configFileArgs(rendered));
        command.addAll(arguments);
        return new ContainerBuilder()
                .withName(name)
                .withImage(rendered.image())
                .withCommand(command)
                .withSecurityContext(containerSecurityContext())
                .withVolumeMounts(configAndTmpMounts())
                .build();
    }

    public static VolumeMount mount(String name, String path, boolean readOnly) {
        // readOnly: false is the default, and the API server stores it as absent: a desired false would never match what
        // the server holds, and every reconcile would apply the StatefulSet again
        return new VolumeMountBuilder().withName(name).withMountPath(path).withReadOnly(readOnly ? Boolean.TRUE : null).build();
    }
}
