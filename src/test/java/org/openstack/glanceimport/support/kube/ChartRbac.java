package org.openstack.glanceimport.support.kube;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

/** The operator's identity and grants as `helm template` renders them from the checked-in chart (real helm). */
final class ChartRbac {

    private static final Set<String> KINDS = Set.of("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding");

    private ChartRbac() {
    }

    static List<HasMetadata> render(KubernetesClient client, String namespace) {
        String rendered = new Helm(Path.of("helm")).template().withName("glance-import").withNamespace(namespace).call();
        return client.load(new ByteArrayInputStream(rendered.getBytes(StandardCharsets.UTF_8))).items().stream()
                .filter(o -> KINDS.contains(o.getKind())).toList();
    }
}
