package org.openstack.glanceimport.delivery;

import io.quarkiverse.operatorsdk.annotations.CSVMetadata.Annotations;
import io.quarkiverse.operatorsdk.annotations.CSVMetadata.Icon;
import io.quarkiverse.operatorsdk.annotations.CSVMetadata.InstallMode;
import io.quarkiverse.operatorsdk.annotations.CSVMetadata.Link;
import io.quarkiverse.operatorsdk.annotations.CSVMetadata.Maintainer;
import io.quarkiverse.operatorsdk.annotations.CSVMetadata.Provider;
import io.quarkiverse.operatorsdk.annotations.CSVMetadata;
import io.quarkiverse.operatorsdk.annotations.SharedCSVMetadata;

/**
 * The OLM ClusterServiceVersion metadata shared by both reconcilers (one bundle). Read at build time by the QOSDK bundle
 * generator; the icon is {@code src/main/kubernetes/glance-import-operator.svg}. Not used at run time.
 *
 * <p>
 * Upgrade policy: each release sets {@code replaces} to the previous CSV name (glance-import-operator.vX.Y.Z) and widens
 * {@code olm.skipRange} so any older version upgrades straight to this one. Both, and {@code containerImage}, follow the
 * pom's version and {@code release.previous} (application.properties), so they are not written here.
 */
@CSVMetadata(bundleName = OperatorBundleMetadata.BUNDLE,
        displayName = "Glance Import Operator",
        description = """
                Deploys the OpenStack Glance image API with working distributed interoperable image import.

                Each glance-api pod runs in a StatefulSet with its own ReadWriteOnce staging volume and advertises its own
                address in worker_self_reference_url, so /import requests that land on another worker are proxied to the
                worker holding the staged data. A GlanceImportStaging resource holds the staging and import pipeline policy
                (volume size and class, retention on scale-down and deletion, import methods, image conversion for Ceph
                RBD, decompression, metadata injection, web-download filtering); a GlanceAPI resource is one Glance API
                deployment (replicas, stores in Ceph RBD pools or files with copy-image between them, HTTPS through a
                TLS proxy whose certificate is checked against every pod's name, a per-pod image cache with pruning
                CronJobs on the pod's node, a database purge CronJob, database and Keystone credentials from Secrets,
                extra config).

                The glance-api and TLS proxy images can be pinned with the RELATED_IMAGE_GLANCE_API and
                RELATED_IMAGE_TLS_PROXY environment variables of the operator Deployment (disconnected installs). Keystone users, the image service and its endpoints, and the
                database are prerequisites and are not created by the operator.
                """,
        icon = @Icon(fileName = "glance-import-operator.svg", mediatype = "image/svg+xml"),
        keywords = { "openstack", "glance", "image", "import", "staging", "ceph", "storage" },
        maturity = "alpha",
        maintainers = @Maintainer(name = "glance-import-operator maintainers", email = "glance-import-operator@lists.openstack.org"),
        provider = @Provider(name = "glance-import-operator project", url = "https://opendev.org/openstack/glance"),
        links = @Link(name = "Glance interoperable image import", url = "https://docs.openstack.org/glance/latest/admin/interoperable-image-import.html"),
        // the CRDs' CEL rules and schema use nothing newer than Kubernetes 1.26 (OpenShift 4.13); CelRulesTest holds them to it
        minKubeVersion = "1.26.0",
        annotations = @Annotations(
                repository = "https://opendev.org/openstack/glance",
                capabilities = "Basic Install",
                categories = "Storage,OpenShift Optional"),
        installModes = {
                @InstallMode(type = "OwnNamespace", supported = true),
                @InstallMode(type = "SingleNamespace", supported = true),
                @InstallMode(type = "MultiNamespace", supported = true),
                @InstallMode(type = "AllNamespaces", supported = true)
        })
public class OperatorBundleMetadata implements SharedCSVMetadata {
    public static final String BUNDLE = "glance-import-operator";
}
