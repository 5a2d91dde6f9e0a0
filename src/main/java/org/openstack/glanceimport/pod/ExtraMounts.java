package org.openstack.glanceimport.pod;

import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;

import org.openstack.glanceimport.api.GlanceAPISpec;
import org.openstack.glanceimport.api.mounts.ExtraMount;

/** spec.extraMounts as the glance-api container's volumes {@code extra-<i>}, read-only, readable by the glance group. */
public final class ExtraMounts {

    private ExtraMounts() {
    }

    public static List<Volume> volumes(GlanceAPISpec spec) {
        List<Volume> volumes = new ArrayList<>();
        List<ExtraMount> mounts = spec.extraMountsOrNone();
        for (int i = 0; i < mounts.size(); i++) {
            ExtraMount m = mounts.get(i);
            VolumeBuilder volume = new VolumeBuilder().withName(name(i));
            volumes.add(m.secretName != null
                    ? volume.withNewSecret().withSecretName(m.secretName).withDefaultMode(0440).endSecret().build()
                    : volume.withNewConfigMap().withName(m.configMapName).withDefaultMode(0440).endConfigMap().build());
        }
        return volumes;
    }

    public static List<VolumeMount> mounts(GlanceAPISpec spec) {
        List<VolumeMount> mounts = new ArrayList<>();
        List<ExtraMount> given = spec.extraMountsOrNone();
        for (int i = 0; i < given.size(); i++) {
            mounts.add(new VolumeMountBuilder().withName(name(i)).withMountPath(given.get(i).mountPath)
                    .withSubPath(given.get(i).subPath).withReadOnly(true).build());
        }
        return mounts;
    }

    static String name(int i) {
        return "extra-" + i;
    }
}
