package org.openstack.glanceimport.keystone;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.exposure.Endpoints;
import org.openstack.glanceimport.api.keystone.KeystoneRegistration;
import org.openstack.glanceimport.api.keystone.KeystoneRegistrationStatus;
import org.openstack.glanceimport.api.keystone.RegistrationMethod;
import org.openstack.glanceimport.config.ConfigHash;
import org.openstack.glanceimport.config.ServiceCredentials;
import org.openstack.glanceimport.runtime.Platform;
import org.openstack.glanceimport.validation.InputProblem;
import org.openstack.glanceimport.validation.SecretInputs;

/**
 * spec.keystoneRegistration: the image service and its endpoints in Keystone's catalogue, through Keystone's v3 API
 * (entries marked as the operator's, removed when registration is turned off or the GlanceAPI deleted) or as
 * keystone-operator's objects (owned by the GlanceAPI: Kubernetes deletes them with it). Keystone is asked when what is
 * wanted changed, after a failure on a backoff, and at steady state only every verify interval (reads alone), which is
 * also how an endpoint someone deleted in Keystone comes back.
 */
@ApplicationScoped
public class KeystoneRegistrations {

    public static final String API = RegistrationMethod.KeystoneAPI.name();
    public static final String OPERATOR = RegistrationMethod.KeystoneOperator.name();

    private final Platform platform;
    private final RegistrationSchedule schedule;

    public KeystoneRegistrations(Platform platform,
            @ConfigProperty(name = "glance-import.keystone.verify-interval", defaultValue = "10m") Duration verify,
            @ConfigProperty(name = "glance-import.keystone.retry-interval", defaultValue = "10s") Duration retry,
            @ConfigProperty(name = "glance-import.keystone.max-retry-interval", defaultValue = "5m") Duration maxRetry) {
        this.platform = platform;
        this.schedule = new RegistrationSchedule(verify, retry, maxRetry);
    }

    /** The method a GlanceAPI registers with now: Auto asks the API server whether keystone-operator's objects are served. */
    public String method(GlanceAPI api) {
        RegistrationMethod m = api.getSpec().keystoneRegistration.methodOrDefault();
        return switch (m) {
            case KeystoneAPI -> API;
            case KeystoneOperator -> OPERATOR;
            case Auto -> platform.servesKeystoneOperator() ? OPERATOR : API;
        };
    }

    /**
     * Registers, updates or removes what the GlanceAPI wants, asking Keystone only when due.
     *
     * @param endpoints the URLs status.endpoints says (public absent until known)
     * @param secrets the GlanceAPI's namespace's Secrets by name
     */
    public RegistrationOutcome reconcile(GlanceAPI api, Endpoints endpoints, Function<String, Secret> secrets, KubernetesClient client) {
        ResourceID id = ResourceID.fromResource(api);
        KeystoneRegistrationStatus previous = api.getStatus() == null ? null : api.getStatus().keystoneRegistration;
        boolean wanted = api.getSpec().registersInKeystone();
        String method = wanted ? method(api) : null;
        if (previous != null && !previous.method.equals(method)) {
            // turned off, or moved to the other method: what was made the other way goes first (while failing, on the backoff)
            Optional<RegistrationOutcome> failing = schedule.standing(id, "remove", Instant.now());
            RegistrationOutcome removed = failing.isPresent() ? failing.get() : remove(api, previous, secrets, client, id);
            if (removed.registered() || !wanted) {
                return removed;
            }
        } else if (!wanted) {
            schedule.forget(id);
            return RegistrationOutcome.NONE;
        }
        CatalogEntries entries = CatalogEntries.of(api, endpoints);
        if (entries.urls().isEmpty()) {
            return new RegistrationOutcome(previous, new RegistrationOutcome.State("False", "WaitingForEndpoints",
                    "no endpoint URL yet (status.endpoints)", false), Optional.empty());
        }
        return OPERATOR.equals(method) ? keystoneOperator(api, entries, secrets, client) : keystoneApi(api, entries, secrets, id);
    }

    private RegistrationOutcome keystoneApi(GlanceAPI api, CatalogEntries entries, Function<String, Secret> secrets, ResourceID id) {
        SecretInputs inputs = new SecretInputs();
        Optional<KeystoneCatalog.AdminCredentials> admin = admin(api, inputs, secrets);
        KeystoneRegistrationStatus previous = api.getStatus() == null ? null : api.getStatus().keystoneRegistration;
        if (admin.isEmpty()) {
            InputProblem p = inputs.problems().get(0);
            return new RegistrationOutcome(previous, new RegistrationOutcome.State("False", p.reason(), p.describe(), true),
                    Optional.of(Duration.ofSeconds(30)));
        }
        String fingerprint = fingerprint(entries, admin.get());
        Instant now = Instant.now();
        Optional<RegistrationOutcome> standing = schedule.standing(id, fingerprint, now);
        if (standing.isPresent()) {
            return standing.get();
        }
        try {
            CatalogRegistrar.Registered r = new CatalogRegistrar(new KeystoneCatalog(admin.get())).ensure(entries);
            KeystoneRegistrationStatus status = new KeystoneRegistrationStatus(API, r.serviceId(), r.serviceCreated(), entries.region(),
                    r.endpointIds());
            RegistrationOutcome.State state;
            if (!r.foreign().isEmpty()) {
                state = new RegistrationOutcome.State("False", "EndpointNotOwned", "Keystone already holds " + String.join(" and ", r.foreign())
                        + " endpoint(s) of service " + entries.name() + " in region " + entries.region()
                        + " that the operator did not create; it leaves them alone: delete them, or turn keystoneRegistration off", true);
            } else {
                state = new RegistrationOutcome.State("True", "Registered", "image service " + entries.name() + " (" + r.serviceId()
                        + ") with endpoints " + String.join(", ", r.endpointIds().keySet()) + " in region " + entries.region()
                        + (entries.urls().containsKey("public") ? "" : "; public once status.endpoints has one"), false);
            }
            return schedule.succeeded(id, fingerprint, new RegistrationOutcome(status, state, Optional.empty()), now);
        } catch (KeystoneFailure e) {
            return schedule.failed(id, fingerprint, new RegistrationOutcome(previous, failure(e), Optional.empty()), now);
        }
    }

    private RegistrationOutcome keystoneOperator(GlanceAPI api, CatalogEntries entries, Function<String, Secret> secrets,
            KubernetesClient client) {
        SecretInputs inputs = new SecretInputs();
        Optional<ServiceCredentials.Keystone> glance = inputs.read("spec.keystoneSecret", api.getSpec().keystoneSecret, secrets)
                .flatMap(data -> inputs.keystone("spec.keystoneSecret", api.getSpec().keystoneSecret, data));
        if (glance.isEmpty()) {
            InputProblem p = inputs.problems().get(0);
            return new RegistrationOutcome(null, new RegistrationOutcome.State("False", p.reason(), p.describe(), true),
                    Optional.of(Duration.ofSeconds(30)));
        }
        List<GenericKubernetesResource> wanted = List.of(KeystoneOperatorObjects.service(api, entries, glance.get().username()),
                KeystoneOperatorObjects.endpoint(api, entries));
        GenericKubernetesResource endpoint = null;
        for (GenericKubernetesResource object : wanted) {
            var resource = client.genericKubernetesResources(object.getApiVersion(), object.getKind())
                    .inNamespace(api.getMetadata().getNamespace()).withName(object.getMetadata().getName());
            GenericKubernetesResource actual = resource.get();
            if (actual == null) {
                actual = client.resource(object).create();
            } else if (!KeystoneOperatorObjects.sameSpec(actual, object)) {
                actual = resource.edit(a -> {
                    a.getAdditionalProperties().put("spec", object.getAdditionalProperties().get("spec"));
                    return a;
                });
            }
            endpoint = actual;
        }
        KeystoneRegistrationStatus status = new KeystoneRegistrationStatus(OPERATOR, null, null, null, null);
        Optional<String> ready = KeystoneOperatorObjects.readyMessage(endpoint);
        if (ready.isPresent()) {
            return new RegistrationOutcome(status, new RegistrationOutcome.State("True", "Registered", "KeystoneService and "
                    + "KeystoneEndpoint " + api.getMetadata().getName() + " are ready: " + ready.get(), false), Optional.empty());
        }
        // keystone-operator's progress arrives through no informer of this operator: look again shortly
        return new RegistrationOutcome(status, new RegistrationOutcome.State("Unknown", "WaitingForKeystoneOperator",
                "KeystoneService and KeystoneEndpoint " + api.getMetadata().getName() + " created; keystone-operator registers them",
                false), Optional.of(Duration.ofSeconds(15)));
    }

    /**
     * Removes what {@code previous} says was registered. Returns NONE once it is gone; else the registration as it stands,
     * with the reason it is still there.
     */
    RegistrationOutcome remove(GlanceAPI api, KeystoneRegistrationStatus previous, Function<String, Secret> secrets,
            KubernetesClient client, ResourceID id) {
        if (OPERATOR.equals(previous.method)) {
            for (String kind : List.of(KeystoneOperatorObjects.ENDPOINT_KIND, KeystoneOperatorObjects.SERVICE_KIND)) {
                client.genericKubernetesResources(KeystoneOperatorObjects.API_VERSION, kind).inNamespace(api.getMetadata().getNamespace())
                        .withName(api.getMetadata().getName()).delete();
            }
            schedule.forget(id);
            return RegistrationOutcome.NONE;
        }
        SecretInputs inputs = new SecretInputs();
        Optional<KeystoneCatalog.AdminCredentials> admin = admin(api, inputs, secrets);
        if (admin.isEmpty()) {
            InputProblem p = inputs.problems().get(0);
            return new RegistrationOutcome(previous, new RegistrationOutcome.State("False", "DeregistrationFailed",
                    "cannot remove the catalogue entries: " + p.describe(), true), Optional.of(Duration.ofSeconds(30)));
        }
        try {
            new CatalogRegistrar(new KeystoneCatalog(admin.get())).remove(CatalogEntries.owner(api));
            schedule.forget(id);
            return RegistrationOutcome.NONE;
        } catch (KeystoneFailure e) {
            RegistrationOutcome.State f = failure(e);
            return schedule.failed(id, "remove", new RegistrationOutcome(previous, new RegistrationOutcome.State("False",
                    "DeregistrationFailed", "cannot remove the catalogue entries: " + f.message(), true), Optional.empty()), Instant.now());
        }
    }

    /** The GlanceAPI is being deleted: true once what it registered through Keystone's API is gone (its finalizer may go). */
    public RegistrationOutcome removeOnDeletion(GlanceAPI api, Function<String, Secret> secrets, KubernetesClient client) {
        KeystoneRegistrationStatus previous = api.getStatus() == null ? null : api.getStatus().keystoneRegistration;
        ResourceID id = ResourceID.fromResource(api);
        Optional<RegistrationOutcome> standing = schedule.standing(id, "remove", Instant.now());
        if (standing.isPresent()) {
            return standing.get();
        }
        if (previous == null) {
            // nothing recorded (a failed first attempt, or a status write lost after one): entries marked as this GlanceAPI's
            // are looked for all the same, when the credentials are at hand
            if (admin(api, new SecretInputs(), secrets).isEmpty()) {
                return RegistrationOutcome.NONE;
            }
            previous = new KeystoneRegistrationStatus(API, null, null, null, null);
        }
        return remove(api, previous, secrets, client, id);
    }

    /** How many removals in a row failed for this GlanceAPI. */
    public int failures(GlanceAPI api) {
        return schedule.failures(ResourceID.fromResource(api));
    }

    public void retain(Set<ResourceID> live) {
        schedule.retain(live);
    }

    /** What is wanted and who asks: a change to either is asked at once (the password too: a fixed one is retried). */
    private static String fingerprint(CatalogEntries entries, KeystoneCatalog.AdminCredentials admin) {
        ServiceCredentials.Keystone ks = admin.keystone();
        return new ConfigHash().add("entries", Map.of("value", entries.toString()))
                .add("admin", Map.of("url", ks.authUrl(), "user", ks.username(), "password", ks.password(), "project", ks.projectName(),
                        "system", String.valueOf(admin.systemScope()), "ca", String.valueOf(admin.caPem()))).value();
    }

    private static RegistrationOutcome.State failure(KeystoneFailure e) {
        String reason = e.unreachable() ? "KeystoneUnreachable" : e.refused() ? "KeystoneRefused" : "KeystoneError";
        return new RegistrationOutcome.State("False", reason, e.getMessage(), true);
    }

    /** adminSecret, else keystoneSecret: the user the catalogue is changed as. */
    private static Optional<KeystoneCatalog.AdminCredentials> admin(GlanceAPI api, SecretInputs inputs, Function<String, Secret> secrets) {
        KeystoneRegistration reg = api.getSpec().keystoneRegistration;
        boolean own = reg != null && reg.adminSecret != null;
        String field = own ? "spec.keystoneRegistration.adminSecret" : "spec.keystoneSecret";
        String name = own ? reg.adminSecret : api.getSpec().keystoneSecret;
        return inputs.read(field, name, secrets).flatMap(data -> inputs.keystone(field, name, data)
                .map(ks -> new KeystoneCatalog.AdminCredentials(ks, "all".equals(data.get("system_scope")), data.get("ca.crt"))));
    }
}
