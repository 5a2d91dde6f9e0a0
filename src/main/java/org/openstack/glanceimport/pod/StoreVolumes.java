package org.openstack.glanceimport.pod;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ProjectedVolumeSourceBuilder;
import io.fabric8.kubernetes.api.model.SecretProjectionBuilder;
import io.fabric8.kubernetes.api.model.SecretVolumeSourceBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.GlanceAPISpec;
import org.openstack.glanceimport.api.stores.Store;
import org.openstack.glanceimport.config.CephLayout;
import org.openstack.glanceimport.config.GlancePaths;
import org.openstack.glanceimport.config.RenderedConfig;
import org.openstack.glanceimport.naming.Names;

/**
 * What the glance-api container needs for the stores beyond its configuration directory: the Ceph configurations and
 * keyrings at /etc/ceph ({@link CephLayout}), and the s3 stores' CA bundle in the environment.
 */
public final class StoreVolumes {

    private static final String CEPH_VOLUME = "ceph";

    private StoreVolumes() {
    }

    public static Optional<Volume> ceph(GlanceAPI api) {
        GlanceAPISpec spec = api.getSpec();
        Map<String, List<Store>> bySecret = spec.rbdStoresBySecret();
        if (bySecret.isEmpty()) {
            return Optional.empty();
        }
        if (CephLayout.asIs(spec)) {
            // the user's Secret as it is, one keyring file per Ceph user the stores name, where librados looks for it
            Map.Entry<String, List<Store>> only = bySecret.entrySet().iterator().next();
            SecretVolumeSourceBuilder secret = new SecretVolumeSourceBuilder().withSecretName(only.getKey()).withDefaultMode(0440)
                    .addNewItem().withKey("ceph.conf").withPath("ceph.conf").endItem();
            CephLayout.users(only.getValue())
                    .forEach(user -> secret.addNewItem().withKey("keyring").withPath(GlancePaths.cephKeyringFile(user)).endItem());
            return Optional.of(new VolumeBuilder().withName(CEPH_VOLUME).withSecret(secret.build()).build());
        }
        // a directory per Secret: the operator's rendering of its ceph.conf, which names the keyrings, and the keyrings
        ProjectedVolumeSourceBuilder projected = new ProjectedVolumeSourceBuilder().withDefaultMode(0440);
        bySecret.forEach((name, stores) -> {
            projected.addNewSource().withNewSecret().withName(Names.secret(api))
                    .addNewItem().withKey(CephLayout.renderedConfKey(name)).withPath(name + "/ceph.conf").endItem()
                    .endSecret().endSource();
            SecretProjectionBuilder keyrings = new SecretProjectionBuilder().withName(name);
            CephLayout.users(stores).forEach(user -> keyrings.addNewItem().withKey("keyring")
                    .withPath(name + "/" + GlancePaths.cephKeyringFile(user)).endItem());
            projected.addNewSource().withSecret(keyrings.build()).endSource();
        });
        return Optional.of(new VolumeBuilder().withName(CEPH_VOLUME).withProjected(projected.build()).build());
    }

    public static Optional<VolumeMount> cephMount(GlanceAPI api) {
        return api.getSpec().usesRbd() ? Optional.of(GlancePod.mount(CEPH_VOLUME, GlancePaths.CEPH_DIR, true)) : Optional.empty();
    }

    /**
     * boto3 verifies s3 endpoints against AWS_CA_BUNDLE in every glance_store release (s3_store_cacert only in later
     * ones); the bundle holds every s3 store's CA, and without one boto3 uses its own.
     */
    public static Optional<EnvVar> s3CaBundle(RenderedConfig rendered) {
        return rendered.secretFiles().containsKey(GlancePaths.S3_CA_BUNDLE)
                ? Optional.of(new EnvVarBuilder().withName("AWS_CA_BUNDLE").withValue(GlancePaths.configFile(GlancePaths.S3_CA_BUNDLE)).build())
                : Optional.empty();
    }
}
