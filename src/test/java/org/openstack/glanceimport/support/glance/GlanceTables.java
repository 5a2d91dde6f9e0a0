package org.openstack.glanceimport.support.glance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Properties;

/**
 * The part of Glance's schema the operator reads (images, image_properties, tasks; column types as in Glance's migrations),
 * in an in-memory H2 database, and the writes Glance 25 itself makes when an image is staged, imported or deleted.
 */
public final class GlanceTables implements AutoCloseable {

    public static final String USER = "glance";
    public static final String PASSWORD = "db-secret";

    private final Connection connection;

    private GlanceTables(Connection connection) {
        this.connection = connection;
    }

    static String url(String name) {
        // Glance names a column "value", a keyword to H2 alone
        return "jdbc:h2:mem:" + name + ";MODE=MariaDB;DB_CLOSE_DELAY=-1;NON_KEYWORDS=VALUE";
    }

    /** Creates database {@code name}, owned by {@link #USER}; it lives as long as the JVM. */
    public static GlanceTables create(String name) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", USER);
        props.setProperty("password", PASSWORD);
        Connection c = new org.h2.Driver().connect(url(name), props);
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE images (id VARCHAR(36) PRIMARY KEY, name VARCHAR(255), status VARCHAR(30) NOT NULL, size BIGINT, "
                    + "created_at DATETIME NOT NULL, updated_at DATETIME, deleted_at DATETIME, deleted BOOLEAN NOT NULL)");
            st.execute("CREATE TABLE image_properties (id INT AUTO_INCREMENT PRIMARY KEY, image_id VARCHAR(36) NOT NULL, "
                    + "name VARCHAR(255) NOT NULL, value TEXT, created_at DATETIME NOT NULL, updated_at DATETIME, "
                    + "deleted_at DATETIME, deleted BOOLEAN NOT NULL)");
            st.execute("CREATE TABLE tasks (id VARCHAR(36) PRIMARY KEY, type VARCHAR(30) NOT NULL, status VARCHAR(30) NOT NULL, "
                    + "owner VARCHAR(255) NOT NULL, expires_at DATETIME, created_at DATETIME NOT NULL, updated_at DATETIME, "
                    + "deleted_at DATETIME, deleted BOOLEAN NOT NULL, image_id VARCHAR(36), request_id VARCHAR(64), user_id VARCHAR(64))");
        }
        return new GlanceTables(c);
    }

    /**
     * An image as Glance leaves it after a stage call on {@code stageHost}, last updated at {@code updated}; status
     * "importing" also starts its import there ({@link #importStarted}), its task last updated at {@code updated}.
     */
    public void staged(String id, String status, String stageHost, Instant updated) throws SQLException {
        staged(id, status, stageHost, updated, 0);
    }

    /** As above, {@code size} bytes staged. */
    public void staged(String id, String status, String stageHost, Instant updated, long size) throws SQLException {
        if ("importing".equals(status)) {
            staged(id, "uploading", stageHost, updated, size);
            importStarted(id, "processing", updated);
            return;
        }
        LocalDateTime at = LocalDateTime.ofInstant(updated, ZoneOffset.UTC);
        try (PreparedStatement i = connection.prepareStatement(
                "INSERT INTO images (id, name, status, created_at, updated_at, deleted, size) VALUES (?, ?, ?, ?, ?, FALSE, ?)")) {
            i.setString(1, id);
            i.setString(2, "image-" + id);
            i.setString(3, status);
            i.setObject(4, at);
            i.setObject(5, at);
            i.setLong(6, size);
            i.executeUpdate();
        }
        property(id, "os_glance_stage_host", stageHost, at);
    }

    /**
     * What Glance's import flow writes when it starts on the stage host: the image goes importing, its
     * os_glance_import_task names a new task, and os_glance_stage_host is removed (a soft delete: the row stays, deleted).
     * The task's updated_at is {@code taskUpdated}, as Glance's copy progress leaves it. Returns the task id.
     */
    public String importStarted(String id, String taskStatus, Instant taskUpdated) throws SQLException {
        LocalDateTime at = LocalDateTime.ofInstant(taskUpdated, ZoneOffset.UTC);
        String task = "task-" + id;
        try (PreparedStatement t = connection.prepareStatement("INSERT INTO tasks (id, type, status, owner, created_at, updated_at, "
                + "deleted, image_id) VALUES (?, 'api_image_import', ?, 'project', ?, ?, FALSE, ?)");
                PreparedStatement host = connection.prepareStatement("UPDATE image_properties SET deleted = TRUE, deleted_at = ? "
                        + "WHERE image_id = ? AND name = 'os_glance_stage_host'")) {
            t.setString(1, task);
            t.setString(2, taskStatus);
            t.setObject(3, at);
            t.setObject(4, at);
            t.setString(5, id);
            t.executeUpdate();
            property(id, "os_glance_import_task", task, at);
            host.setObject(1, at);
            host.setString(2, id);
            host.executeUpdate();
        }
        setStatus(id, "importing");
        return task;
    }

    /** What Glance writes when a stage call begins: status uploading, no size, no stage host yet. */
    public void uploadStarted(String id, Instant updated) throws SQLException {
        LocalDateTime at = LocalDateTime.ofInstant(updated, ZoneOffset.UTC);
        try (PreparedStatement i = connection.prepareStatement(
                "INSERT INTO images (id, name, status, created_at, updated_at, deleted) VALUES (?, ?, 'uploading', ?, ?, FALSE)")) {
            i.setString(1, id);
            i.setString(2, "image-" + id);
            i.setObject(3, at);
            i.setObject(4, at);
            i.executeUpdate();
        }
    }

    /** Glance's soft delete. */
    public boolean delete(String id) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(
                "UPDATE images SET status = 'deleted', deleted = TRUE, deleted_at = CURRENT_TIMESTAMP WHERE id = ? AND deleted = FALSE")) {
            st.setString(1, id);
            return st.executeUpdate() == 1;
        }
    }

    public String status(String id) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("SELECT status FROM images WHERE id = ?")) {
            st.setString(1, id);
            var rs = st.executeQuery();
            return rs.next() ? rs.getString(1) : null;
        }
    }

    public void setStatus(String id, String status) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("UPDATE images SET status = ?, updated_at = CURRENT_TIMESTAMP WHERE id = ?")) {
            st.setString(1, status);
            st.setString(2, id);
            st.executeUpdate();
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }

    /** A live image property, as Glance writes one. */
    private void property(String imageId, String name, String value, LocalDateTime at) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement("INSERT INTO image_properties (image_id, name, value, created_at, "
                + "deleted) VALUES (?, ?, ?, ?, FALSE)")) {
            p.setString(1, imageId);
            p.setString(2, name);
            p.setString(3, value);
            p.setObject(4, at);
            p.executeUpdate();
        }
    }
}
