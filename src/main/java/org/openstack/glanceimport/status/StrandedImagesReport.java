package org.openstack.glanceimport.status;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import org.openstack.glanceimport.api.Conditions;
import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.GlanceAPIStatus;
import org.openstack.glanceimport.api.stranded.StrandedImage;
import org.openstack.glanceimport.api.stranded.StrandedImagePolicy;
import org.openstack.glanceimport.api.stranded.StrandedImages;
import org.openstack.glanceimport.glance.ImageDeletion;
import org.openstack.glanceimport.glance.StagedImageScans;
import org.openstack.glanceimport.stranded.StrandedImageFinder;
import org.openstack.glanceimport.stranded.StrandedImageWatch;

/**
 * Tells what the stranded-image handling found and did: status.strandedImages, the ImagesStranded condition, a Warning
 * Event per newly stranded image, one per deletion and one when deleting starts to fail.
 */
final class StrandedImagesReport {

    private static final int LISTED_IN_MESSAGE = 5;

    private StrandedImagesReport() {
    }

    static void apply(GlanceAPI api, GlanceAPIStatus status, StrandedImageWatch.Report report, EventRecorder events) {
        Long gen = api.getMetadata().getGeneration();
        if (report instanceof StrandedImageWatch.ScanFailed failed) {
            String why = switch (failed.failure()) {
                case CREDENTIALS_REJECTED -> "the Glance database refused the credentials in Secret " + api.getSpec().databaseSecret
                        + " (spec.databaseSecret)";
                case TLS_REQUIRED -> "the Glance database " + failed.detail() + " requires TLS and refuses connections in clear "
                        + "(require_secure_transport); set spec.databaseTLS.caSecretName to a Secret with its CA in ca.crt";
                case TLS_FAILED -> "TLS to the Glance database failed: " + failed.detail() + " (CA in Secret "
                        + api.getSpec().databaseTLS.caSecretName + ", spec.databaseTLS.caSecretName)";
                case UNREACHABLE -> "the Glance database could not be reached (" + failed.detail() + ")";
            };
            String reason = switch (failed.failure()) {
                case CREDENTIALS_REJECTED -> "DatabaseCredentialsRejected";
                case TLS_REQUIRED -> "DatabaseTLSRequired";
                case TLS_FAILED -> "DatabaseTLSFailed";
                case UNREACHABLE -> "CheckFailed";
            };
            List<StrandedImage> known = status.strandedImages == null ? List.of() : status.strandedImages;
            String message = "Cannot tell which images are stranded: " + why + "; nothing is deleted; asking again every "
                    + seconds(failed.retry()) + (known.isEmpty() ? "" : ". Last found stranded: " + list(api, known));
            if (Conditions.set(status, Conditions.IMAGES_STRANDED, known.isEmpty() ? "Unknown" : "True", reason, message, gen)
                    && failed.failure() != StagedImageScans.Failure.UNREACHABLE) {
                events.warning(api, reason, message);
            }
        } else if (report instanceof StrandedImageWatch.Found found) {
            found(api, status, found, events, gen);
        }
    }

    private static void found(GlanceAPI api, GlanceAPIStatus status, StrandedImageWatch.Found report, EventRecorder events, Long gen) {
        StrandedImages policy = api.getSpec().strandedImagesOrDefault();
        for (StrandedImage s : report.appeared()) {
            if (StrandedImageFinder.IMPORT_INTERRUPTED.equals(s.reason)) {
                boolean gone = StrandedImageFinder.ordinal(api, s) >= report.replicas();
                events.warning(api, "ImportInterrupted", "The import of image " + s.imageId + " on pod " + StrandedImageFinder.pod(api, s)
                        + " was cut short: that glance-api " + (gone ? "is gone" : "was restarted")
                        + " after the import last moved, and Glance never resumes an import. " + advice(policy, s));
            } else {
                events.warning(api, "ImageStranded", "Image " + s.imageId + " (" + s.status + ") was staged on pod "
                        + StrandedImageFinder.pod(api, s) + (StrandedImageFinder.POD_REMOVED.equals(s.reason)
                                ? ", which the StatefulSet no longer runs" : ", whose staging claim is gone")
                        + ": it can never finish importing. " + advice(policy, s));
            }
        }
        for (StrandedImageWatch.Deleted d : report.deleted()) {
            StrandedImage s = d.image();
            events.normal(api, "StrandedImageDeleted", "Deleted image " + s.imageId + " (" + s.status + "), stranded on pod "
                    + StrandedImageFinder.pod(api, s) + " since " + s.since + " (spec.strandedImages.policy Delete, grace "
                    + policy.gracePeriodSeconds + "s)" + (d.standIn() != null ? " through " + d.standIn() + ", which answers at its stage host" : ""));
        }
        List<StrandedImage> found = report.found();
        status.strandedImages = found.isEmpty() ? null : found;
        if (found.isEmpty()) {
            // the condition appears with the first stranded image, and then stays to say it is over
            if (Conditions.get(status, Conditions.IMAGES_STRANDED).isPresent()) {
                Conditions.set(status, Conditions.IMAGES_STRANDED, false, "NoneStranded",
                        "No image is staged on a pod or claim that is gone", gen);
            }
            return;
        }
        String deleteFailure = report.failure() == null ? null : failure(api, report.failure());
        String message = found.size() + " image(s) can never finish importing (staged on pods or claims that are gone, "
                + "or their import was cut short): "
                + list(api, found) + (deleteFailure != null ? ". Not deleted: " + deleteFailure + "; retrying in "
                        + seconds(report.retry()) : report.waitingFor() != null ? ". Deleting: waiting for pod " + report.waitingFor()
                                + " to answer at the stage host (Glance forwards the delete of a staged image there)"
                                : ". " + (policy.policy == StrandedImagePolicy.Delete
                                ? "Each is deleted " + policy.gracePeriodSeconds + "s after it was found (spec.strandedImages.policy Delete)"
                                : "Delete them and upload again, or set spec.strandedImages.policy Delete"));
        String reason = report.failure() == null ? "ImagesStranded"
                : report.failure().result().outcome() == ImageDeletion.Outcome.CREDENTIALS_REJECTED ? "KeystoneCredentialsRejected"
                        : "DeleteFailed";
        if (Conditions.set(status, Conditions.IMAGES_STRANDED, true, reason, message, gen) && deleteFailure != null) {
            events.warning(api, reason, message);
        }
    }

    private static String failure(GlanceAPI api, StrandedImageWatch.DeleteFailure failure) {
        ImageDeletion result = failure.result();
        StrandedImage s = failure.image();
        if (result.outcome() == ImageDeletion.Outcome.CREDENTIALS_REJECTED) {
            return "the service user in Secret " + api.getSpec().keystoneSecret + " (spec.keystoneSecret) was refused: " + result.detail();
        }
        return "deleting " + s.imageId + " failed: " + result.detail() + (result.outcome() == ImageDeletion.Outcome.STAGE_HOST_GONE
                ? " (Glance forwards the delete of a staged image to its stage host, pod " + StrandedImageFinder.pod(api, s)
                        + ", and fails while that host does not answer, instead of deleting it itself; "
                        + "it succeeds once a pod answers there again)"
                : "");
    }

    private static String advice(StrandedImages policy, StrandedImage s) {
        if (StrandedImageFinder.IMPORT_INTERRUPTED.equals(s.reason)) {
            // the task keeps Glance's import lock for 60 minutes after its last update, and the conversion plugin has
            // removed the staged file once it wrote <id>.raw: a new import would be refused, then find no data
            return policy.policy == StrandedImagePolicy.Delete
                    ? "The operator deletes it at " + StrandedImageFinder.due(policy, s) + " (spec.strandedImages.policy Delete); "
                            + "then upload it again."
                    : "Delete it (openstack image delete " + s.imageId + ") and upload it again: Glance refuses a new import for "
                            + "60 minutes, and its staged data may be gone.";
        }
        return policy.policy == StrandedImagePolicy.Delete
                ? "The operator deletes it at " + StrandedImageFinder.due(policy, s)
                        + " (spec.strandedImages.policy Delete) unless the pod comes back with its claim."
                : "Delete it (openstack image delete " + s.imageId + ") and upload it again.";
    }

    private static String list(GlanceAPI api, List<StrandedImage> images) {
        String shown = images.stream().limit(LISTED_IN_MESSAGE)
                .map(s -> s.imageId + " (" + s.status + (StrandedImageFinder.IMPORT_INTERRUPTED.equals(s.reason) ? ", import interrupted" : "")
                        + ", was on " + StrandedImageFinder.pod(api, s) + " since " + s.since + ")")
                .collect(Collectors.joining(", "));
        return images.size() > LISTED_IN_MESSAGE ? shown + " and " + (images.size() - LISTED_IN_MESSAGE) + " more (status.strandedImages)"
                : shown;
    }

    private static String seconds(Duration d) {
        return d.toSeconds() + "s";
    }
}
