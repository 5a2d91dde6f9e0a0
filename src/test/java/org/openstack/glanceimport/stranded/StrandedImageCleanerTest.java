package org.openstack.glanceimport.stranded;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.GlanceAPISpec;
import org.openstack.glanceimport.api.stranded.StrandedImage;
import org.openstack.glanceimport.config.ServiceCredentials;
import org.openstack.glanceimport.glance.ImageDeletion;
import org.openstack.glanceimport.glance.StagedImages;
import org.openstack.glanceimport.inputs.GlanceApiInputs;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.support.glance.FakeOpenStack;
import org.openstack.glanceimport.support.glance.GlanceTables;
import org.openstack.glanceimport.support.glance.H2GlanceDatabase;

/** A delete asks the database first: an image that is no longer staged where it was found is left alone. */
class StrandedImageCleanerTest {

    private static final int PORT = 18294;

    @Test
    void anImageImportedSinceTheScanIsNotDeleted() throws Exception {
        GlanceAPI api = new GlanceAPI();
        api.setMetadata(new ObjectMetaBuilder().withName("glance").withNamespace("os").build());
        api.setSpec(new GlanceAPISpec());
        String host = Names.selfReferenceUrl(api, 2);
        try (GlanceTables db = GlanceTables.create("cleaner");
                FakeOpenStack openStack = new FakeOpenStack(PORT, Map.<String, GlanceTables>of()::get)) {
            openStack.start();
            db.staged("imported-since", "uploading", host, Instant.now());
            db.staged("still-staged", "uploading", host, Instant.now());
            db.setStatus("imported-since", "active");
            var creds = new ServiceCredentials(new ServiceCredentials.Database("cleaner" + H2GlanceDatabase.HOST_SUFFIX, 3306, "cleaner",
                    GlanceTables.USER, GlanceTables.PASSWORD), new ServiceCredentials.Keystone(openStack.url() + "/v3",
                            FakeOpenStack.SERVICE_USER, FakeOpenStack.SERVICE_PASSWORD, "service", "Default", "Default", null));
            var cleaner = new StrandedImageCleaner(new StagedImages(new H2GlanceDatabase()), Optional.of(openStack.url()));
            var session = cleaner.session(api, new GlanceApiInputs.Result(null, creds, null, List.of(), java.util.Optional.empty()));

            ImageDeletion left = session.delete(new StrandedImage("imported-since", "uploading", host, "PodRemoved", "x"), null);
            assertEquals(ImageDeletion.Outcome.ALREADY_GONE, left.outcome());
            assertEquals("no longer staged on " + host, left.detail());
            assertEquals(List.of(), openStack.requests(), "nothing is sent for an image no longer staged");

            session.delete(new StrandedImage("still-staged", "uploading", host, "PodRemoved", "x"), null);
            assertTrue(openStack.deletes().stream().anyMatch(r -> r.path().equals("/v2/images/still-staged")), openStack.requests().toString());
            assertEquals(1, openStack.deletes().size());
        }
    }
}
