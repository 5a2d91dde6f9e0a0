package org.openstack.glanceimport.controller;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;

import jakarta.enterprise.context.ApplicationScoped;

import org.openstack.glanceimport.config.ServiceCredentials;

/**
 * Which images sit in a pod's staging area: uploading (staged, import not yet asked) or importing, with the pod's
 * worker_self_reference_url as their os_glance_stage_host. Glance hides that property from its API, so this reads
 * Glance's own database with the credentials the GlanceAPI already has. Only asked while a scale-down is pending.
 */
@ApplicationScoped
public class StagedImages {

    public record Staged(String imageId, String status, String stageHost) {
    }

    static final String QUERY = "SELECT i.id, i.status, p.value FROM images i JOIN image_properties p ON p.image_id = i.id "
            + "WHERE p.name = 'os_glance_stage_host' AND p.deleted = 0 AND i.deleted = 0 "
            + "AND i.status IN ('uploading', 'importing')";

    public List<Staged> on(ServiceCredentials.Database db, Collection<String> stageHosts) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", db.username());
        props.setProperty("password", db.password());
        props.setProperty("connectTimeout", "5000");
        props.setProperty("socketTimeout", "10000");
        String url = "jdbc:mariadb://" + (db.host().contains(":") ? "[" + db.host() + "]" : db.host()) + ":" + db.port() + "/" + db.name();
        List<Staged> staged = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, props); PreparedStatement st = c.prepareStatement(QUERY);
                ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                if (stageHosts.contains(rs.getString(3))) {
                    staged.add(new Staged(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
        }
        return staged;
    }
}
