package org.openstack.glanceimport.pod;

import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.GlanceAPISpec;
import org.openstack.glanceimport.naming.Names;

class PlacementTest {

    private static GlanceAPI api() {
        GlanceAPI api = new GlanceAPI();
        api.getMetadata().setName("glance");
        api.getMetadata().setNamespace("openstack");
        api.setSpec(new GlanceAPISpec());
        return api;
    }

    @Test
    void byDefaultZonesBySpreadAndNodesByAntiAffinityBothSoft() {
        GlanceAPI api = api();
        TopologySpreadConstraint zone = Placement.spread(api).get(0);
        assertEquals(1, Placement.spread(api).size(), "a hostname constraint beside it would spread nothing where nodes lack zones");
        assertEquals("topology.kubernetes.io/zone", zone.getTopologyKey());
        assertEquals("ScheduleAnyway", zone.getWhenUnsatisfiable());
        assertEquals(1, zone.getMaxSkew());
        assertEquals(Names.selectorLabels(api), zone.getLabelSelector().getMatchLabels());
        var term = Placement.affinity(api).getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution().get(0);
        assertEquals("kubernetes.io/hostname", term.getPodAffinityTerm().getTopologyKey());
        assertEquals(Names.selectorLabels(api), term.getPodAffinityTerm().getLabelSelector().getMatchLabels());
        assertNull(Placement.affinity(api).getNodeAffinity());
    }

    @Test
    void theUsersAffinityIsKeptAndGainsTheNodeSpreadUnlessItHasItsOwn() {
        GlanceAPI api = api();
        api.getSpec().affinity = new AffinityBuilder().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm().addNewMatchExpression().withKey("node-role.kubernetes.io/control-plane")
                .withOperator("Exists").endMatchExpression().endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().build();
        var affinity = Placement.affinity(api);
        assertEquals(api.getSpec().affinity.getNodeAffinity(), affinity.getNodeAffinity());
        assertEquals(1, affinity.getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution().size());
        assertNull(api.getSpec().affinity.getPodAntiAffinity(), "the user's spec is not written");

        api.getSpec().affinity = new AffinityBuilder().withNewPodAntiAffinity().addNewRequiredDuringSchedulingIgnoredDuringExecution()
                .withTopologyKey("kubernetes.io/hostname").endRequiredDuringSchedulingIgnoredDuringExecution()
                .endPodAntiAffinity().build();
        assertSame(api.getSpec().affinity, Placement.affinity(api));
    }

    @Test
    void givenConstraintsReplaceTheDefaultAndGetThePodsSelector() {
        GlanceAPI api = api();
        TopologySpreadConstraint mine = new TopologySpreadConstraintBuilder().withMaxSkew(2).withTopologyKey("rack")
                .withWhenUnsatisfiable("DoNotSchedule").build();
        api.getSpec().topologySpreadConstraints = List.of(mine);
        TopologySpreadConstraint rendered = Placement.spread(api).get(0);
        assertEquals("rack", rendered.getTopologyKey());
        assertEquals(Names.selectorLabels(api), rendered.getLabelSelector().getMatchLabels());
        assertNull(mine.getLabelSelector(), "the user's spec is not written");
        TopologySpreadConstraint selecting = new TopologySpreadConstraintBuilder(mine).withNewLabelSelector()
                .withMatchLabels(Map.of("tier", "image")).endLabelSelector().build();
        api.getSpec().topologySpreadConstraints = List.of(selecting);
        assertEquals(Map.of("tier", "image"), Placement.spread(api).get(0).getLabelSelector().getMatchLabels());

        api.getSpec().topologySpreadConstraints = List.of();
        assertEquals(List.of(), Placement.spread(api), "an empty list sets none");
    }
}
