package org.openstack.glanceimport.stranded;

import java.net.URI;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.stranded.StrandedImage;
import org.openstack.glanceimport.glance.GlanceImageClient;
import org.openstack.glanceimport.glance.ImageDeletion;
import org.openstack.glanceimport.glance.StagedImages;
import org.openstack.glanceimport.inputs.GlanceApiInputs;
import org.openstack.glanceimport.naming.Names;

/**
 * Deletes stranded images for policy Delete, through the Glance API as the GlanceAPI's service user (never in the
 * database). Before its first delete a session asks the database again: an image imported or deleted since the last
 * scan, or staged again elsewhere, is left alone.
 */
@ApplicationScoped
public class StrandedImageCleaner {

    private final StagedImages stagedImages;
    private final Optional<String> glanceUrl;

    public StrandedImageCleaner(StagedImages stagedImages,
            @ConfigProperty(name = "glance-import.stranded-images.glance-url") Optional<String> glanceUrl) {
        this.stagedImages = stagedImages;
        this.glanceUrl = glanceUrl;
    }

    /**
     * Where the deletes go: the GlanceAPI's own Service. The setting is for an operator that runs outside the cluster
     * ({@code make run}, the e2e harness), where Service names do not resolve.
     */
    URI glanceEndpoint(GlanceAPI api) {
        return URI.create(glanceUrl.orElse(Names.endpoint(api)));
    }

    /** One session per reconcile: a Keystone token is fetched once for all its deletes. */
    Session session(GlanceAPI api, GlanceApiInputs.Result inputs) {
        return new Session(inputs, new GlanceImageClient(inputs.credentials().keystone(), glanceEndpoint(api), inputs.glanceCaPem()));
    }

    final class Session {
        private final GlanceApiInputs.Result inputs;
        private final GlanceImageClient client;
        /** What the database says is staged now, asked once per session (one reconcile). */
        private List<StagedImages.Staged> staged;

        private Session(GlanceApiInputs.Result inputs, GlanceImageClient client) {
            this.inputs = inputs;
            this.client = client;
        }

        /**
         * Deleted, already gone or no longer staged there (ALREADY_GONE, the latter with a detail), or why not. Sent to
         * the glance-api at {@code at} when not null (a stand-in for the image's stage host), else to the Service.
         */
        ImageDeletion delete(StrandedImage image, URI at) {
            try {
                if (staged == null) {
                    staged = stagedImages.all(inputs.database());
                }
                boolean stillStaged = staged.stream()
                        .anyMatch(s -> s.imageId().equals(image.imageId) && s.stageHost().equals(image.stageHost));
                if (!stillStaged) {
                    return new ImageDeletion(ImageDeletion.Outcome.ALREADY_GONE, "no longer staged on " + image.stageHost);
                }
            } catch (SQLException e) {
                return new ImageDeletion(ImageDeletion.Outcome.UNREACHABLE, "the Glance database could not be asked ("
                        + e.getClass().getSimpleName() + ")");
            }
            return at == null ? client.delete(image.imageId) : client.delete(at, image.imageId);
        }
    }
}
