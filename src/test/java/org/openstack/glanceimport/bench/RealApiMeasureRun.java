package org.openstack.glanceimport.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.openstack.glanceimport.packaging.JvmOptions;
import org.openstack.glanceimport.packaging.OperatorJvm;
import org.openstack.glanceimport.packaging.OperatorProcess;
import org.openstack.glanceimport.support.BenchJson;
import org.openstack.glanceimport.support.kube.AuditedRollout;
import org.openstack.glanceimport.support.kube.RealApiServer;

/**
 * `make measure` on a real kube-apiserver 1.26 with the StatefulSet, Job and garbage-collector controllers: the packaged
 * operator as the chart runs it (prod profile: server-side apply and leader election; the chart's JVM options on the
 * image's Java 25 with the AOT cache trained as Dockerfile.jvm trains it; the operator's ServiceAccount token under the
 * chart's RBAC), NodeStandIn playing the kubelet and the volume binder. Reports its RSS idle and with 100 one-replica
 * GlanceAPIs Ready ({@code real_api_rss_100_glanceapis_mib}), and the writes each of those cost as the audit log
 * counted them. The samples' database host does not resolve here: each GlanceAPI says so in its ImagesStranded condition,
 * one status write more than with a database the operator reaches (RealApiBench counts that case).
 */
@Tag("measure")
class RealApiMeasureRun {

    @Test
    void measure() throws Exception {
        StartupMeasureRun.requireBuilt(OperatorProcess.JAR);
        int count = StartupMeasureRun.GLANCEAPIS;
        RealApiServer k8s = RealApiServer.shared();
            // -Dmeasure.jvm="...": the shipped options plus these, reported under keys ending in _extra
        List<String> jvm = new java.util.ArrayList<>(JvmOptions.inContainerOf(JvmOptions.shippedContainer()));
        String extra = System.getProperty("measure.jvm", "").strip();
        String suffix = extra.isEmpty() ? "" : "_extra";
        if (!extra.isEmpty()) {
            jvm.addAll(List.of(extra.split("\\s+")));
        }
        var shipped = new StartupMeasureRun.Config(OperatorJvm.resolve(), jvm, OperatorProcess.JAR, StartupMeasureRun.NO_SSA_JAR);
        Map<String, String> env = new LinkedHashMap<>(StartupMeasureRun.ENV);
        env.put("QUARKUS_KUBERNETES_CLIENT_TOKEN", k8s.operatorConfig().getOauthToken());
        Map<String, Object> results = new LinkedHashMap<>();
        try (OperatorProcess operator = StartupMeasureRun.start(shipped, env, k8s.url(), RealApiServer.OPERATOR_NAMESPACE, List.of())) {
            if (operator.awaitReady(Duration.ofSeconds(120)) < 0) {
                throw new IllegalStateException("not ready within 120 s:\n" + String.join("\n", operator.log()));
            }
            Thread.sleep(15_000);
            long pid = operator.process.pid();
            results.put("real_api_rss_idle_mib" + suffix, StartupMeasureRun.rssKb(pid) / 1024);
            System.out.println("    idle: " + StartupMeasureRun.rssParts(pid));

            // the samples' Secrets as shipped: their database host does not resolve here
            var writes = AuditedRollout.writesToReady(k8s, "measure", count, item -> item, true);
            Thread.sleep(10_000);
            results.put("real_api_rss_" + count + "_glanceapis_mib" + suffix, StartupMeasureRun.rssKb(pid) / 1024);
            StartupMeasureRun.jcmd(shipped.runtime(), pid, "with " + count + " GlanceAPIs, real API server");
            System.out.println("    with " + count + " GlanceAPIs: " + StartupMeasureRun.rssParts(pid));
            results.put("real_api_write_requests_per_glanceapi_shipped_jar_database_unreachable" + suffix,
                    AuditedRollout.perGlanceApi(writes, count));
            results.put("real_api_write_requests_by_resource_shipped_jar_database_unreachable" + suffix, writes);
            System.out.println("\n==== the shipped operator on a real kube-apiserver " + RealApiServer.VERSION + " ====\n    "
                    + shipped.runtime() + " " + String.join(" ", shipped.jvm()));
            results.forEach((k, v) -> System.out.printf("  %-66s %s%n", k, v));
            BenchJson.merge(results);
        }
    }
}
