package org.openstack.glanceimport.inputs;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.IntStream;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.GlanceAPISpec;
import org.openstack.glanceimport.api.GlanceImportStaging;
import org.openstack.glanceimport.api.stores.Store;
import org.openstack.glanceimport.config.ConfigHash;
import org.openstack.glanceimport.config.GlanceApiConfigRenderer;
import org.openstack.glanceimport.config.GlancePaths;
import org.openstack.glanceimport.config.ImportConfigRenderer;
import org.openstack.glanceimport.config.RenderedConfig;
import org.openstack.glanceimport.config.SecretConfigRenderer;
import org.openstack.glanceimport.config.ServiceCredentials;
import org.openstack.glanceimport.config.StoreCredentials;
import org.openstack.glanceimport.config.StoreSecretFiles;
import org.openstack.glanceimport.config.TlsProxyConfigRenderer;
import org.openstack.glanceimport.config.WsgiFiles;
import org.openstack.glanceimport.naming.Names;
import org.openstack.glanceimport.validation.ContainerResources;
import org.openstack.glanceimport.validation.CustomConfigValidator;
import org.openstack.glanceimport.validation.ExtraMountChecks;
import org.openstack.glanceimport.validation.InputProblem;
import org.openstack.glanceimport.validation.NetworkAttachmentChecks;
import org.openstack.glanceimport.validation.ResourceNames;
import org.openstack.glanceimport.validation.SecretInputs;
import org.openstack.glanceimport.validation.ServingCertificate;
import org.openstack.glanceimport.validation.SharedFileClaims;
import org.openstack.glanceimport.validation.StagingPolicyValidator;

/**
 * Gathers what a GlanceAPI refers to (its staging policy and Secrets, from the informer caches) and renders the pods'
 * configuration, or explains every reason it cannot. Pure with respect to the cluster: it reads, never writes.
 */
public final class GlanceApiInputs {

    /**
     * {@code glanceCaPem}: the CA bundle the pods' serving certificate chains to, null without tls; {@code recheck}: how
     * soon bad input is looked at again when nothing would announce its fix (a Secret or claim created later, an object
     * store that starts answering).
     */
    public record Result(RenderedConfig rendered, ServiceCredentials credentials, String glanceCaPem, List<InputProblem> problems,
            Optional<Duration> recheck) {

        static Result invalid(List<InputProblem> problems, Optional<Duration> recheck) {
            return new Result(null, null, null, problems, recheck);
        }

        public boolean valid() {
            return problems.isEmpty();
        }

        public ServiceCredentials.Database database() {
            return credentials == null ? null : credentials.database();
        }
    }

    private GlanceApiInputs() {
    }

    /** Names of the user Secrets a GlanceAPI reads; they are watched so a fix or rotation re-reconciles it. */
    public static Set<String> referencedSecrets(GlanceAPI api) {
        Set<String> names = new LinkedHashSet<>();
        GlanceAPISpec spec = api.getSpec();
        if (spec == null) {
            return names;
        }
        Optional.ofNullable(spec.databaseSecret).ifPresent(names::add);
        Optional.ofNullable(spec.databaseTLS).map(t -> t.caSecretName).ifPresent(names::add);
        Optional.ofNullable(spec.keystoneSecret).ifPresent(names::add);
        Optional.ofNullable(spec.keystoneRegistration).map(r -> r.adminSecret).ifPresent(names::add);
        names.addAll(StoreSecrets.names(spec));
        names.addAll(CustomConfigSecrets.names(spec));
        spec.extraMountsOrNone().stream().map(m -> m.secretName).filter(java.util.Objects::nonNull).forEach(names::add);
        if (spec.tls != null) {
            Optional.ofNullable(spec.tls.secretName).ifPresent(names::add);
            Optional.ofNullable(spec.tls.caSecretName).ifPresent(names::add);
        }
        return names;
    }

    /**
     * Only labelled Secrets are watched (ReferencedSecrets), and user claims, NetworkAttachmentDefinitions and Multus's
     * API not at all.
     */
    private static final Set<String> NOT_ANNOUNCED = Set.of("SecretNotFound", SharedFileClaims.NOT_FOUND,
            NetworkAttachmentChecks.NOT_FOUND, NetworkAttachmentChecks.MULTUS_MISSING);
    /** How soon a GlanceAPI looks again for a Secret, claim or network it names that does not exist. */
    public static final Duration MISSING_RECHECK = Duration.ofSeconds(10);

    /**
     * @param claimLookup a PersistentVolumeClaim of the GlanceAPI's namespace by name (the shared file stores'), or null
     * @param networks asked only when spec.networkAttachments names some
     * @param objectStores asked last, only when everything else is valid: a check that sends requests
     * @param database asked after them, only with spec.databaseTLS: TLS to the database is tried before pods rely on it
     */
    public static Result resolve(GlanceAPI api, String defaultImage, Function<String, GlanceImportStaging> stagingLookup,
            Function<String, Secret> secretLookup, Function<String, PersistentVolumeClaim> claimLookup,
            NetworkAttachmentChecks.Definitions networks, StoreProbe objectStores, DatabaseProbe database) {
        GlanceAPISpec spec = api.getSpec();
        List<InputProblem> problems = new ArrayList<>(ResourceNames.glanceApi(api.getMetadata().getName()));
        problems.addAll(ContainerResources.check("spec.resources", spec.resources));
        GlanceImportStaging staging = stagingLookup.apply(spec.stagingRef);
        if (staging == null) {
            problems.add(new InputProblem("StagingNotFound", "spec.stagingRef", "GlanceImportStaging \"" + spec.stagingRef
                    + "\" not found in namespace " + api.getMetadata().getNamespace()));
        } else {
            StagingPolicyValidator.validate(staging.getSpec()).forEach(p -> problems.add(new InputProblem("InvalidStagingPolicy",
                    "spec.stagingRef", "GlanceImportStaging \"" + spec.stagingRef + "\" is invalid: " + p.describe())));
        }
        List<Store> stores = spec.storesOrDefault();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < stores.size(); i++) {
            // the CRD's CEL rules say the same; this holds where they are not evaluated (old API servers, tests)
            if (!seen.add(stores.get(i).name)) {
                problems.add(new InputProblem("DuplicateStore", "spec.stores[" + i + "].name", "store \"" + stores.get(i).name
                        + "\" is listed twice; store names must be unique"));
            }
        }
        for (int i = 0; i < stores.size(); i++) {
            missingSection(stores.get(i), i).ifPresent(problems::add);
        }
        CustomConfigValidator.validate(spec.customServiceConfig, GlanceApiConfigRenderer.storeOptions(spec)).ifPresent(problems::add);
        problems.addAll(SharedFileClaims.check(spec, api.getMetadata().getNamespace(), claimLookup));
        problems.addAll(NetworkAttachmentChecks.check(spec, api.getMetadata().getNamespace(), networks));

        SecretInputs secrets = new SecretInputs();
        Optional<ServiceCredentials.Database> db = secrets.read("spec.databaseSecret", spec.databaseSecret, secretLookup)
                .flatMap(data -> secrets.database("spec.databaseSecret", spec.databaseSecret, data));
        if (spec.databaseTLS != null) {
            Optional<String> ca = secrets.read("spec.databaseTLS.caSecretName", spec.databaseTLS.caSecretName, secretLookup)
                    .flatMap(data -> secrets.databaseCa("spec.databaseTLS.caSecretName", spec.databaseTLS.caSecretName, data));
            db = db.flatMap(d -> ca.map(d::withCa));
        }
        Optional<ServiceCredentials.Keystone> ks = secrets.read("spec.keystoneSecret", spec.keystoneSecret, secretLookup)
                .flatMap(data -> secrets.keystone("spec.keystoneSecret", spec.keystoneSecret, data));
        Map<String, String> mounted = new TreeMap<>();
        StoreCredentials storeCreds = StoreSecrets.read(spec, secrets, secretLookup, mounted);
        Map<String, String> customSecretFiles = CustomConfigSecrets.read(spec, secrets, secretLookup,
                GlanceApiConfigRenderer.storeOptions(spec));
        problems.addAll(ExtraMountChecks.check(spec, secrets, secretLookup));
        Optional<ServingCertificate> cert = Optional.empty();
        if (spec.tls != null) {
            cert = tls(api, secrets, secretLookup, mounted);
        }
        problems.addAll(secrets.problems());
        if (!problems.isEmpty()) {
            return Result.invalid(problems, problems.stream().anyMatch(p -> NOT_ANNOUNCED.contains(p.reason()))
                    ? Optional.of(MISSING_RECHECK) : Optional.empty());
        }
        List<InputProblem> unreachable = objectStores.check(spec, name -> Optional.ofNullable(secretLookup.apply(name))
                .map(SecretInputs::decode).orElse(null));
        if (!unreachable.isEmpty()) {
            return Result.invalid(unreachable, Optional.of(objectStores.failureRecheck()));
        }
        if (db.get().tls()) {
            List<InputProblem> untrusted = database.check(db.get(), spec.databaseTLS.caSecretName);
            if (!untrusted.isEmpty()) {
                return Result.invalid(untrusted, Optional.of(database.failureRecheck()));
            }
        }
        try {
            ServiceCredentials creds = new ServiceCredentials(db.get(), ks.get());
            return new Result(render(api, defaultImage, staging, creds, storeCreds, customSecretFiles, mounted,
                    cert.map(c -> c.notAfter().toString()).orElse(null)),
                    creds, mounted.get("tls/ca.crt"), List.of(), Optional.empty());
        } catch (IllegalArgumentException e) {
            // a value that would break the ini file (line breaks and the like) got past the schema
            return Result.invalid(List.of(new InputProblem("InvalidValue", "spec", e.getMessage())), Optional.empty());
        }
    }

    /**
     * The serving certificate must cover the name of every pod the StatefulSet may run; the CA comes from caSecretName or
     * the certificate's own Secret. What the pods mount goes into {@code mounted}, so a renewal rolls them.
     */
    private static Optional<ServingCertificate> tls(GlanceAPI api, SecretInputs secrets, Function<String, Secret> lookup,
            Map<String, String> mounted) {
        GlanceAPISpec spec = api.getSpec();
        List<String> hosts = IntStream.range(0, Math.max(1, spec.podsAtMost()))
                .mapToObj(i -> Names.podHost(api, Names.pod(api, i))).toList();
        Map<String, String> tlsData = secrets.read("spec.tls.secretName", spec.tls.secretName, lookup).orElse(null);
        if (tlsData == null) {
            return Optional.empty();
        }
        Optional<ServingCertificate> cert = secrets.tls("spec.tls.secretName", spec.tls.secretName, tlsData, hosts);
        String caField = spec.tls.caSecretName != null ? "spec.tls.caSecretName" : "spec.tls.secretName";
        String caName = spec.tls.caSecret();
        Map<String, String> caData = spec.tls.caSecretName != null ? secrets.read(caField, caName, lookup).orElse(null) : tlsData;
        Optional<List<X509Certificate>> ca = caData == null ? Optional.empty()
                : secrets.caBundle(caField, caName, caData);
        if (cert.isPresent() && ca.isPresent()) {
            secrets.trusted("spec.tls.secretName", spec.tls.secretName, cert.get(), caName, ca.get(), Instant.now());
        }
        cert.ifPresent(c -> {
            mounted.put("tls/tls.crt", tlsData.get("tls.crt"));
            mounted.put("tls/tls.key", tlsData.get("tls.key"));
        });
        ca.ifPresent(c -> mounted.put("tls/ca.crt", caData.get("ca.crt")));
        return cert;
    }

    /** The CRD's CEL rules say the same; this holds where they are not evaluated (old API servers, tests). */
    private static Optional<InputProblem> missingSection(Store store, int i) {
        String[] missing = switch (store.type) {
            case rbd -> store.rbd == null ? new String[] { "Rbd", "secretName, pool, user" } : null;
            case s3 -> store.s3 == null ? new String[] { "S3", "endpoint, bucket, secretName" } : null;
            case swift -> store.swift == null ? new String[] { "Swift", "authAddress, secretName" } : null;
            case file -> null;
        };
        return Optional.ofNullable(missing).map(m -> new InputProblem("Missing" + m[0] + "Settings", "spec.stores[" + i + "]." + store.type,
                "store \"" + store.name + "\" has type " + store.type + " but no " + store.type + " section (" + m[1] + ")"));
    }

    static RenderedConfig render(GlanceAPI api, String defaultImage, GlanceImportStaging staging, ServiceCredentials creds,
            StoreCredentials storeCreds, Map<String, String> customSecretFiles, Map<String, String> mounted, String tlsNotAfter) {
        GlanceAPISpec spec = api.getSpec();
        Map<String, String> files = new TreeMap<>();
        files.put(GlancePaths.API_CONF, GlanceApiConfigRenderer.render(spec, staging.getSpec()).render());
        files.put(GlancePaths.IMPORT_CONF, ImportConfigRenderer.render(staging.getSpec(), spec.usesRbd()).render());
        files.putAll(WsgiFiles.render(spec));
        if (spec.tlsEnabled()) {
            files.put(GlancePaths.TLS_PROXY_CONF, TlsProxyConfigRenderer.render(spec));
        }
        if (GlanceApiConfigRenderer.uploadsRestricted(spec, staging.getSpec())) {
            files.put(GlancePaths.POLICY_FILE, GlanceApiConfigRenderer.UPLOAD_POLICY);
        }
        if (spec.customServiceConfig != null && !spec.customServiceConfig.isBlank()) {
            files.put(GlancePaths.CUSTOM_CONF, spec.customServiceConfig);
        }
        Map<String, String> secretFiles = new TreeMap<>(StoreSecretFiles.render(spec, storeCreds));
        secretFiles.put(GlancePaths.SECRETS_CONF, SecretConfigRenderer.render(creds, spec, storeCreds).render());
        secretFiles.putAll(customSecretFiles);
        secretFiles.putAll(SecretConfigRenderer.databaseFiles(creds.database()));
        String hash = new ConfigHash().add("config", files).add("secrets", secretFiles).add("mounted", mounted).value();
        String image = spec.containerImage != null ? spec.containerImage : defaultImage;
        // the schema migration depends on the code (image) and the database it targets, nothing else
        String dbSync = new ConfigHash().add("db-sync", Map.of("image", image,
                "database", SecretConfigRenderer.connectionUrl(creds.database()))).value().substring(0, 10);
        return new RenderedConfig(staging, files, secretFiles, hash, image, dbSync, tlsNotAfter);
    }
}
