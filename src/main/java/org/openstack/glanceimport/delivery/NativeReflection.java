package org.openstack.glanceimport.delivery;

import io.quarkus.runtime.annotations.RegisterForReflection;

import org.openstack.glanceimport.api.ApiServer;
import org.openstack.glanceimport.api.DatabasePurge;
import org.openstack.glanceimport.api.DatabaseTls;
import org.openstack.glanceimport.api.GlanceAPISpec;
import org.openstack.glanceimport.api.GlanceAPIStatus;
import org.openstack.glanceimport.api.GlanceImportStagingSpec;
import org.openstack.glanceimport.api.GlanceImportStagingStatus;
import org.openstack.glanceimport.api.RollHold;
import org.openstack.glanceimport.api.StagingClaimStatus;
import org.openstack.glanceimport.api.Tls;
import org.openstack.glanceimport.api.autoscaling.Autoscaling;
import org.openstack.glanceimport.api.autoscaling.AutoscalingStatus;
import org.openstack.glanceimport.api.exposure.Endpoints;
import org.openstack.glanceimport.api.exposure.ExternalTrafficPolicy;
import org.openstack.glanceimport.api.exposure.IpFamily;
import org.openstack.glanceimport.api.exposure.IpFamilyPolicy;
import org.openstack.glanceimport.api.exposure.RouteOverride;
import org.openstack.glanceimport.api.exposure.RouteTermination;
import org.openstack.glanceimport.api.exposure.ServiceOverride;
import org.openstack.glanceimport.api.exposure.ServiceType;
import org.openstack.glanceimport.api.imagecache.ImageCache;
import org.openstack.glanceimport.api.imagecache.ImageCachePodStatus;
import org.openstack.glanceimport.api.imagecache.ImageCacheStatus;
import org.openstack.glanceimport.api.mounts.ExtraMount;
import org.openstack.glanceimport.api.probes.Probes;
import org.openstack.glanceimport.api.probes.ProbeTimings;
import org.openstack.glanceimport.api.networks.AttachedNetwork;
import org.openstack.glanceimport.api.networks.PodNetworkAddresses;
import org.openstack.glanceimport.api.staging.AccessMode;
import org.openstack.glanceimport.api.staging.Conversion;
import org.openstack.glanceimport.api.staging.ConversionMode;
import org.openstack.glanceimport.api.staging.Decompression;
import org.openstack.glanceimport.api.staging.DiskFormat;
import org.openstack.glanceimport.api.staging.ImportMethod;
import org.openstack.glanceimport.api.staging.InjectMetadata;
import org.openstack.glanceimport.api.staging.Retention;
import org.openstack.glanceimport.api.staging.RetentionPolicy;
import org.openstack.glanceimport.api.staging.StagingStorage;
import org.openstack.glanceimport.api.staging.WebDownload;
import org.openstack.glanceimport.api.stores.BackendType;
import org.openstack.glanceimport.api.stores.FileBackend;
import org.openstack.glanceimport.api.stores.RbdBackend;
import org.openstack.glanceimport.api.stores.S3Backend;
import org.openstack.glanceimport.api.stores.Store;
import org.openstack.glanceimport.api.stores.SwiftBackend;
import org.openstack.glanceimport.api.keystone.KeystoneRegistration;
import org.openstack.glanceimport.api.keystone.KeystoneRegistrationStatus;
import org.openstack.glanceimport.api.keystone.Memcached;
import org.openstack.glanceimport.api.keystone.RegistrationMethod;
import org.openstack.glanceimport.api.stranded.StrandedImage;
import org.openstack.glanceimport.api.stranded.StrandedImagePolicy;
import org.openstack.glanceimport.api.stranded.StrandedImages;

/**
 * Native image: Jackson (de)serializes the CR classes by reflection. QOSDK registers the CustomResource classes; this
 * registers every class and enum reachable from their spec and status too (nested objects, list elements), which are
 * read from the API server and written back in status patches. The records in org.openstack.glanceimport.config,
 * .controller, .validation and .dependent are never serialized, so they need nothing. NativeReflectionTest keeps this
 * list complete.
 */
@RegisterForReflection(targets = {
        GlanceAPISpec.class, GlanceAPIStatus.class, GlanceImportStagingSpec.class, GlanceImportStagingStatus.class,
        StagingClaimStatus.class, StagingStorage.class, Store.class, RbdBackend.class, FileBackend.class, S3Backend.class, SwiftBackend.class, Tls.class, DatabaseTls.class, ImageCache.class, DatabasePurge.class, ImageCacheStatus.class, ImageCachePodStatus.class, Retention.class,
        Conversion.class, Decompression.class, InjectMetadata.class, WebDownload.class, StrandedImages.class, StrandedImage.class,
        Autoscaling.class, AutoscalingStatus.class, RollHold.class, Probes.class, ProbeTimings.class, ExtraMount.class,
        ServiceOverride.class, RouteOverride.class, Endpoints.class,
        ServiceType.class, ExternalTrafficPolicy.class, IpFamily.class, IpFamilyPolicy.class, RouteTermination.class,
        PodNetworkAddresses.class, AttachedNetwork.class,
        KeystoneRegistration.class, KeystoneRegistrationStatus.class, Memcached.class, RegistrationMethod.class,
        AccessMode.class, ApiServer.class, StrandedImagePolicy.class, BackendType.class, ConversionMode.class, DiskFormat.class, ImportMethod.class, RetentionPolicy.class
})
public final class NativeReflection {
    private NativeReflection() {
    }
}
