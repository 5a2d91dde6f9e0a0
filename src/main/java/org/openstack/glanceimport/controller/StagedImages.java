package org.openstack.glanceimport.controller;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.openstack.glanceimport.config.ServiceCredentials;

/**
 * Which images sit in a staging area: uploading (staged, import not yet asked) or importing, with the pod's
 * worker_self_reference_url as their os_glance_stage_host. Glance hides that property from its API, so this reads
 * Glance's own database with the credentials the GlanceAPI already has; it never writes there.
 */
@ApplicationScoped
public class StagedImages {

    /** {@code updatedAt}: Glance's updated_at (UTC), null when unset. */
    public record Staged(String imageId, String status, String stageHost, java.time.Instant updatedAt) {
    }

    static final String QUERY = "SELECT i.id, i.status, p.value, i.updated_at FROM images i JOIN image_properties p ON p.image_id = i.id "
            + "WHERE p.name = 'os_glance_stage_host' AND p.deleted = 0 AND i.deleted = 0 "
            + "AND i.status IN ('uploading', 'importing') ORDER BY i.id";

    private final GlanceDatabase database;

    public StagedImages(GlanceDatabase database) {
        this.database = database;
    }

    /** Every staged image of the database, whichever Glance staged it. */
    public List<Staged> all(ServiceCredentials.Database db) throws SQLException {
        List<Staged> staged = new ArrayList<>();
        try (Connection c = database.connect(db); PreparedStatement st = c.prepareStatement(QUERY); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                java.time.LocalDateTime updated = rs.getObject(4, java.time.LocalDateTime.class);
                // Glance writes naive UTC datetimes
                staged.add(new Staged(rs.getString(1), rs.getString(2), rs.getString(3),
                        updated == null ? null : updated.toInstant(java.time.ZoneOffset.UTC)));
            }
        }
        return staged;
    }

    /** The staged images whose stage host is one of {@code stageHosts}. */
    public List<Staged> on(ServiceCredentials.Database db, Collection<String> stageHosts) throws SQLException {
        return all(db).stream().filter(s -> stageHosts.contains(s.stageHost())).toList();
    }
}
