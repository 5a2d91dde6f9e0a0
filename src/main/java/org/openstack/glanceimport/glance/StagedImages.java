package org.openstack.glanceimport.glance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.openstack.glanceimport.config.ServiceCredentials;

/**
 * Which images sit in a staging area: uploading (staged, import not yet asked) or importing, with the pod's
 * worker_self_reference_url as their os_glance_stage_host. Glance hides that property from its API, so this reads
 * Glance's own database with the credentials the GlanceAPI already has; it never writes there.
 * <p>
 * When an import starts, Glance removes os_glance_stage_host from the image (api_image_import.get_flow pops it). Its
 * removal is a soft delete: the row keeps the value with deleted = 1, and the import runs on that host, because the
 * import call was forwarded there. So for an importing image the deleted row still tells the pod; for an uploading one
 * only a live row counts (a deleted one is left from an import that failed, whose data Glance has let go).
 */
@ApplicationScoped
public class StagedImages {

    /**
     * {@code updatedAt}: Glance's images.updated_at (UTC), null when unset. For an importing image, {@code taskId},
     * {@code taskStatus} and {@code taskUpdatedAt} are its os_glance_import_task's (null when the task is gone); a running
     * import moves taskUpdatedAt as it copies data to the store.
     */
    public record Staged(String imageId, String status, String stageHost, Instant updatedAt, String taskId, String taskStatus,
            Instant taskUpdatedAt, long size) {

        public Staged(String imageId, String status, String stageHost, Instant updatedAt, String taskId, String taskStatus,
                Instant taskUpdatedAt) {
            this(imageId, status, stageHost, updatedAt, taskId, taskStatus, taskUpdatedAt, 0);
        }

        public Staged(String imageId, String status, String stageHost, Instant updatedAt) {
            this(imageId, status, stageHost, updatedAt, null, null, null, 0);
        }

        public boolean importing() {
            return "importing".equals(status);
        }

        /** The last sign of life of the import, else of the image. */
        public Instant lastActivity() {
            return taskUpdatedAt != null ? taskUpdatedAt : updatedAt;
        }
    }

    /** {@code staged}: the staged and importing images; {@code uploading}: uploads to a staging area still in progress. */
    public record Load(List<Staged> staged, int uploading) {
    }

    /**
     * {@code size}: Glance sets images.size once an upload to the staging area is complete, in the same save that sets
     * os_glance_stage_host, so a staged image's bytes are known, those of an upload in progress are not.
     */
    static final String QUERY = "SELECT i.id, i.status, p.value, i.updated_at, t.id, t.status, t.updated_at, i.size FROM images i "
            + "JOIN image_properties p ON p.image_id = i.id AND p.name = 'os_glance_stage_host' "
            + "LEFT JOIN image_properties tp ON tp.image_id = i.id AND tp.name = 'os_glance_import_task' AND tp.deleted = 0 "
            + "LEFT JOIN tasks t ON t.id = tp.value "
            + "WHERE i.deleted = 0 AND (i.status = 'importing' OR (i.status = 'uploading' AND p.deleted = 0)) ORDER BY i.id";

    /**
     * Uploads in progress: Glance saves status uploading when a stage call begins and os_glance_stage_host only when its
     * data is in, so until then no pod is named. An upload cut short by a crash stays uploading without a host for good:
     * only those that began within {@link #UPLOAD_WINDOW} count.
     */
    static final String UPLOADS_QUERY = "SELECT COUNT(*) FROM images i WHERE i.deleted = 0 AND i.status = 'uploading' "
            + "AND i.updated_at > ? AND NOT EXISTS (SELECT 1 FROM image_properties p WHERE p.image_id = i.id "
            + "AND p.name = 'os_glance_stage_host')";

    static final Duration UPLOAD_WINDOW = Duration.ofHours(1);

    private final GlanceDatabase database;

    public StagedImages(GlanceDatabase database) {
        this.database = database;
    }

    /** Every staged image of the database, whichever Glance staged it. */
    public List<Staged> all(ServiceCredentials.Database db) throws SQLException {
        try (Connection c = database.connect(db)) {
            return staged(c);
        }
    }

    /** The staged images and the uploads in progress, over one connection. */
    public Load load(ServiceCredentials.Database db) throws SQLException {
        try (Connection c = database.connect(db); PreparedStatement st = c.prepareStatement(UPLOADS_QUERY)) {
            List<Staged> staged = staged(c);
            st.setObject(1, LocalDateTime.ofInstant(Instant.now().minus(UPLOAD_WINDOW), ZoneOffset.UTC));
            try (ResultSet rs = st.executeQuery()) {
                return new Load(staged, rs.next() ? rs.getInt(1) : 0);
            }
        }
    }

    private static List<Staged> staged(Connection c) throws SQLException {
        List<Staged> staged = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(QUERY); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                staged.add(new Staged(rs.getString(1), rs.getString(2), rs.getString(3), utc(rs, 4), rs.getString(5),
                        rs.getString(6), utc(rs, 7), rs.getLong(8)));
            }
        }
        return staged;
    }

    /** Whether a database that refused these credentials in clear takes them over TLS: it requires TLS. */
    public boolean requiresTls(ServiceCredentials.Database db) {
        return !db.tls() && database.acceptsOverTls(db);
    }

    /** The staged images whose stage host is one of {@code stageHosts}. */
    public List<Staged> on(ServiceCredentials.Database db, Collection<String> stageHosts) throws SQLException {
        return all(db).stream().filter(s -> stageHosts.contains(s.stageHost())).toList();
    }

    /** Glance writes naive UTC datetimes. */
    private static Instant utc(ResultSet rs, int column) throws SQLException {
        LocalDateTime at = rs.getObject(column, LocalDateTime.class);
        return at == null ? null : at.toInstant(ZoneOffset.UTC);
    }
}
