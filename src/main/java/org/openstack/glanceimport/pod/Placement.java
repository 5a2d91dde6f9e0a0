package org.openstack.glanceimport.pod;

import java.util.List;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.naming.Names;

/**
 * Where the glance-api pods go: losing a node or a zone should not take every staging area with it, yet a small cluster
 * must still schedule them all, so every default is a preference.
 */
public final class Placement {

    public static final String ZONE = "topology.kubernetes.io/zone";
    public static final String HOSTNAME = "kubernetes.io/hostname";

    private Placement() {
    }

    /** The user's affinity, plus the soft anti-affinity across nodes unless it brings its own podAntiAffinity. */
    public static Affinity affinity(GlanceAPI api) {
        Affinity given = api.getSpec().affinity;
        if (given != null && given.getPodAntiAffinity() != null) {
            return given;
        }
        return new AffinityBuilder(given != null ? given : new Affinity())
                .withNewPodAntiAffinity()
                .addNewPreferredDuringSchedulingIgnoredDuringExecution()
                .withWeight(100)
                .withNewPodAffinityTerm()
                .withTopologyKey(HOSTNAME)
                .withLabelSelector(pods(api))
                .endPodAffinityTerm()
                .endPreferredDuringSchedulingIgnoredDuringExecution()
                .endPodAntiAffinity()
                .build();
    }

    /**
     * The user's constraints, each given the pods' selector when it has none; by default one across zones. Nodes are not
     * spread by a constraint: the scheduler ignores, for every constraint, the nodes lacking any constraint's key, so on
     * a cluster without zone labels a hostname constraint beside the zone one would spread nothing. The anti-affinity
     * (affinity()) spreads nodes whatever the labels.
     */
    public static List<TopologySpreadConstraint> spread(GlanceAPI api) {
        List<TopologySpreadConstraint> given = api.getSpec().topologySpreadConstraints;
        if (given == null) {
            return List.of(new TopologySpreadConstraintBuilder().withMaxSkew(1).withTopologyKey(ZONE)
                    .withWhenUnsatisfiable("ScheduleAnyway").withLabelSelector(pods(api)).build());
        }
        return given.stream().map(c -> c.getLabelSelector() != null ? c
                : new TopologySpreadConstraintBuilder(c).withLabelSelector(pods(api)).build()).toList();
    }

    private static LabelSelector pods(GlanceAPI api) {
        return new LabelSelectorBuilder().withMatchLabels(Names.selectorLabels(api)).build();
    }
}
