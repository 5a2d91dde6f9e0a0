package org.openstack.glanceimport.stores;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.openstack.glanceimport.api.GlanceAPISpec;
import org.openstack.glanceimport.api.stores.BackendType;
import org.openstack.glanceimport.api.stores.S3Backend;
import org.openstack.glanceimport.api.stores.Store;
import org.openstack.glanceimport.api.stores.SwiftBackend;
import org.openstack.glanceimport.config.ConfigHash;
import org.openstack.glanceimport.inputs.StoreProbe;
import org.openstack.glanceimport.validation.InputProblem;

/**
 * Tries each S3 and Swift store of a GlanceAPI before its pods are rolled out with it, so that an endpoint that does not
 * answer, credentials it refuses, or a bucket or container Glance could not use shows up as an input problem naming
 * the store's field, instead of as failed uploads in pods that already replaced working ones.
 * <p>
 * What it asks: for S3, one SigV4-signed GET {bucket}?location (plus a HEAD when that is denied); for Swift, a v1 or
 * Keystone v3 login and a HEAD on the container. Connect timeout 3 s, request 5 s: it runs inside the reconcile.
 * <p>
 * When: on every call, but answered from a cache keyed by the store's settings and a digest of its Secret's data. A
 * success is remembered until either changes, so steady-state reconciles send no request; a failure is asked again at
 * most every 30 s. Stores of other types, stores without their section and stores whose Secret is absent are skipped
 * (the missing Secret or key is reported by the Secret checks).
 */
@ApplicationScoped
public class ObjectStoreChecks implements StoreProbe {

    private final Clock clock;
    private final S3Check s3;
    private final SwiftCheck swift;
    private final CheckCache cache = new CheckCache();

    public ObjectStoreChecks() {
        this(Clock.systemUTC(), new StoreHttp());
    }

    /** {@code clock} decides when a failure is re-checked and dates the S3 signatures; {@code http} sets the timeouts. */
    public ObjectStoreChecks(Clock clock, StoreHttp http) {
        this.clock = clock;
        this.s3 = new S3Check(http);
        this.swift = new SwiftCheck(http);
    }

    @Override
    public Duration failureRecheck() {
        return CheckCache.FAILURE_RECHECK;
    }

    /**
     * The problems of the spec's object stores, fields as {@code spec.stores[i].s3.endpoint} where i is the store's
     * position in {@link GlanceAPISpec#storesOrDefault()}; empty when every one of them works (or was skipped).
     *
     * @param secretData the decoded data of a Secret of the GlanceAPI's namespace by name, null when it does not exist
     */
    @Override
    public List<InputProblem> check(GlanceAPISpec spec, Function<String, Map<String, String>> secretData) {
        List<InputProblem> problems = new ArrayList<>();
        List<Store> stores = spec.storesOrDefault();
        for (int i = 0; i < stores.size(); i++) {
            Store store = stores.get(i);
            String prefix = "spec.stores[" + i + "].";
            for (InputProblem p : check(store, secretData)) {
                problems.add(new InputProblem(p.reason(), prefix + p.field(), "store \"" + store.name + "\": " + p.message()));
            }
        }
        return problems;
    }

    private List<InputProblem> check(Store store, Function<String, Map<String, String>> secretData) {
        String secretName = store.type == BackendType.s3 && store.s3 != null ? store.s3.secretName
                : store.type == BackendType.swift && store.swift != null ? store.swift.secretName : null;
        Map<String, String> secret = secretName == null ? null : secretData.apply(secretName);
        if (secret == null) {
            return List.of();
        }
        String key = key(store, secret);
        return cache.get(key, clock.instant()).orElseGet(() -> {
            List<InputProblem> found = store.type == BackendType.s3 ? s3.check(store.s3, secret, clock.instant())
                    : swift.check(store.swift, secret);
            cache.put(key, found, clock.instant());
            return found;
        });
    }

    /** Everything a check's outcome depends on; the Secret only as a digest, so no value is kept in the clear. */
    static String key(Store store, Map<String, String> secret) {
        Map<String, String> settings = new TreeMap<>();
        if (store.type == BackendType.s3) {
            S3Backend s = store.s3;
            settings.put("type", "s3");
            settings.put("endpoint", s.endpoint);
            settings.put("bucket", s.bucket);
            settings.put("secretName", s.secretName);
            settings.put("region", s.region);
            settings.put("createBucket", String.valueOf(s.createBucket));
            settings.put("bucketUrlFormat", s.bucketUrlFormat);
        } else {
            SwiftBackend s = store.swift;
            settings.put("type", "swift");
            settings.put("authAddress", s.authAddress);
            settings.put("authVersion", s.authVersion);
            settings.put("secretName", s.secretName);
            settings.put("container", s.container);
            settings.put("createContainer", String.valueOf(s.createContainer));
        }
        return new ConfigHash().add("settings", settings).add("secret", secret).value();
    }
}
