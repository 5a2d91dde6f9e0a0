package org.openstack.glanceimport.controller;

import java.net.URI;
import java.sql.SQLException;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.StrandedImage;
import org.openstack.glanceimport.dependent.Names;
import org.openstack.glanceimport.openstack.GlanceImageClient;
import org.openstack.glanceimport.openstack.ImageDeletion;

/**
 * Deletes stranded images for policy Delete, through the Glance API as the GlanceAPI's service user (never in the
 * database). Just before each delete it asks the database again: an image imported or deleted since the last scan, or
 * staged again elsewhere, is left alone.
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

        private Session(GlanceApiInputs.Result inputs, GlanceImageClient client) {
            this.inputs = inputs;
            this.client = client;
        }

        /** Deleted, already gone, still needed elsewhere (ALREADY_GONE with a detail), or why not. */
        ImageDeletion delete(StrandedImage image) {
            return delete(image, null);
        }

        /** The same, sent to the glance-api at {@code at} when not null (a stand-in for the image's stage host). */
        ImageDeletion delete(StrandedImage image, URI at) {
            try {
                boolean stillStaged = stagedImages.all(inputs.database()).stream()
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
