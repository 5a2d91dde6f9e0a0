# glance-import-operator
MVN ?= ./mvnw -B
E2E_RUN ?= $(CURDIR)/target/e2e-run

.PHONY: demo test test-tools run build e2e bench bench-import bench-import-autoscaling bench-import-pods bundle helm native native-sources generate measure clean

## demo: run the operator against an in-process Kubernetes API (no cluster), apply samples/, scale to 3, print what exists
demo:
	@$(MVN) -q test -Dsurefire.excludedGroups=none -Dsurefire.groups=demo -Dquarkus.log.level=WARN \
	  -Dquarkus.log.category.\"org.openstack\".level=WARN -Dquarkus.log.category.\"io.javaoperatorsdk\".level=WARN \
	  -Dquarkus.log.category.\"io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils\".level=ERROR -Dsurefire.printSummary=false

## test: unit and reconciler tests (mock API server), then the packaged jar's SIGTERM and leader handover (OperatorShutdownIT);
##       no cluster or services needed: a JDK and network suffice (promtool and the Kubernetes 1.26.4 binaries: test-tools)
test:
	$(MVN) verify

## test-tools: what make test runs besides the JVM, found or fetched the way the tests do it themselves (TestTools): promtool,
##             and kube-apiserver, etcd, kubectl, kube-controller-manager 1.26.4 under target/kube-api-test. Prints where
##             each is. Not needed before make test (each test fetches what it lacks); .ci/run runs it to fail early
test-tools:
	$(MVN) -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=org.openstack.glanceimport.support.tools.TestTools

## run: the operator against the cluster of the current kubeconfig (CRDs must be installed: make install-crds)
run:
	$(MVN) quarkus:dev -Dquarkus.operator-sdk.crd.apply=true

## build: the JVM operator image inputs (target/quarkus-app; target/test-classes and target/appcds-training for the
##        image's AOT cache), CRDs and manifests (target/kubernetes, target/bundle)
build:
	$(MVN) package -DskipTests

## e2e: real glance-api/Ceph/MariaDB/Keystone processes running the operator's rendered pods (installs Debian packages)
e2e:
	mkdir -p $(E2E_RUN)
	E2E_RUN=$(E2E_RUN) E2E_RENDER="$(MVN) -q test -Dsurefire.excludedGroups=none -Dsurefire.groups=render -Dquarkus.log.level=WARN -De2e.secrets=$(E2E_RUN)/secrets.json -De2e.out=$(E2E_RUN)/rendered.json" \
	  E2E_LIVE="$(MVN) test -Dsurefire.excludedGroups=none -Dsurefire.groups=live -Dquarkus.log.level=WARN -De2e.run=$(E2E_RUN) \
	    -Dquarkus.http.test-port=18181 -De2e.prometheus=http://127.0.0.1:19090" \
	  bash e2e/run.sh --render

## bench: operator performance, first on the in-process mock API server (1 and 500 GlanceAPIs, heap, requests of a full
##        resync), then on a real kube-apiserver 1.26 + kube-controller-manager (RealApiBench: the operator's writes per
##        GlanceAPI from the server's audit log, a full resync, 30 s idle); both write target/bench.json
bench:
	$(MVN) -q test -Dsurefire.excludedGroups=none -Dsurefire.groups=bench -Dquarkus.log.level=WARN

## bench-import: bench-import-autoscaling (below), then bench-import-pods: imports per minute of one pod under httpd, uWSGI
##               and eventlet (the same GlanceAPI, rendered by make e2e with each spec.apiServer) and one 1 GiB import
##               alone on each, 6 qcow2 imports staged across 3 pods vs on 1 pod, one pod with 1 and 2 eventlet workers,
##               and import vs bare qemu-img convert (not in CI);
## runs on the List the operator rendered in the last `make e2e`; BENCH_LIST=rendered-tls.json measures the TLS pods
BENCH_LIST ?= rendered.json
## BENCH_ARGS: image sizes, the worker counts compared on one pod (6 concurrent imports staged on it), and the
## glance-api/glance_store settings compared one at a time against the rendered config (3 serial imports each);
## add --settings-only to compare the settings alone
BENCH_SETTINGS ?= rbd_store_chunk_size=4,rbd_store_chunk_size=16,rbd_store_chunk_size=32,hashing_algorithm=sha512,rbd_thin_provisioning=false
BENCH_SERVERS ?= $(E2E_RUN)/rendered.json,$(E2E_RUN)/rendered-uwsgi.json,$(E2E_RUN)/rendered-eventlet.json
BENCH_ARGS ?= --virtual-mib 256,1024 --workers 1,2 --servers $(BENCH_SERVERS) --settings $(BENCH_SETTINGS)
bench-import: bench-import-autoscaling bench-import-pods

## bench-import-autoscaling: the live operator (Glance's database asked every 10 s) and real glance-api/Ceph/MariaDB; one
##   burst of 36 imports (256 MiB virtual, 16 MiB data) from 6 clients on one fixed pod, then the same burst with spec.autoscaling 1 to 3 pods, side by
##   side: time to the last image active, imports per minute, their ratios -> target/bench-import-autoscaling.json
##   BENCH_POD_CPUS=0,1 pins pod i to CPU i mod 2 (each pod as if on a node of one CPU); empty: all pods share every core
BURST_ARGS ?= -De2e.burst.images=36 -De2e.burst.clients=6 -De2e.burst.virtual-mib=256 -De2e.burst.data-mib=16
BENCH_POD_CPUS ?= 0,1
bench-import-autoscaling:
	mkdir -p $(E2E_RUN)-autoscaling
	E2E_POD_CPUS=$(BENCH_POD_CPUS) E2E_RUN=$(E2E_RUN)-autoscaling E2E_LIVE_ONLY=1 E2E_RENDER=: \
	  E2E_LIVE="$(MVN) test -Dsurefire.excludedGroups=none -Dsurefire.groups=bench-live -Dquarkus.log.level=WARN \
	    -De2e.run=$(E2E_RUN)-autoscaling -Dquarkus.http.test-port=18181 $(BURST_ARGS)" \
	  bash e2e/run.sh --render

bench-import-pods:
	@test -s $(E2E_RUN)/$(BENCH_LIST) || { echo "run make e2e first: it leaves the operator's rendered Lists in $(E2E_RUN)"; exit 1; }
	E2E_TLS_FROM=$(E2E_RUN)/tls /usr/bin/python3 e2e/bench_import.py $(E2E_RUN)/$(BENCH_LIST) --repeat 2 $(BENCH_ARGS) \
	  --out target/bench-import-$(basename $(BENCH_LIST)).json

## bundle: refresh bundle/ (OLM: CSV, CRDs, metadata, bundle.Dockerfile) from the QOSDK bundle generator's output
## helm: refresh helm/ (chart) from quarkus-helm's output, plus the monitoring templates (src/main/monitoring/); `make bundle helm` builds once and must leave no git diff
##       (the CSV and the chart templates are written in a canonical form: the build orders labels and env vars randomly)
## The generators (src/tools/java, org.openstack.glanceimport.tools) are compiled as test sources, never into the jar, and
## run with exec:java on the test classpath: no test runs here.
BUNDLE_NAME ?= glance-import-operator
TOOL = $(MVN) -q exec:java -Dexec.classpathScope=test -Dexec.mainClass=org.openstack.glanceimport.tools.$(1) -Dexec.args="$(2)"
generate:
	$(MVN) -q package -DskipTests

bundle: generate
	rm -rf bundle && mkdir -p bundle
	cp -R target/bundle/$(BUNDLE_NAME)/. bundle/
	$(call TOOL,BundleFinisher,$(CURDIR)/bundle/manifests $(CURDIR)/samples/minimal.yaml)
	$(call TOOL,MonitoringManifests,--bundle $(CURDIR)/bundle/manifests)

helm: generate
	rm -rf helm && mkdir -p helm
	cp -R target/helm/kubernetes/$(BUNDLE_NAME)/. helm/
	$(call TOOL,Canonical,$(CURDIR)/helm/templates)
	$(call TOOL,MonitoringManifests,--chart $(CURDIR)/helm)

## native-sources: the native-image inputs (target/native-sources/: jar, lib/, native-image.args) without GraalVM
native-sources:
	$(MVN) package -Pnative -Dquarkus.native.enabled=true -Dquarkus.native.sources-only=true -DskipTests

## native: the native binary target/*-runner; needs GraalVM/Mandrel (JDK 17+) with native-image on PATH, or add
##         NATIVE_ARGS=-Dquarkus.native.container-build=true to build inside a Mandrel container (docker or podman)
NATIVE_ARGS ?=
native:
	$(MVN) package -Pnative -DskipTests $(NATIVE_ARGS)

## measure: JVM operator start-to-ready time and RSS (idle, 100 GlanceAPIs) with the JVM options the chart and the CSV
##          ship, on the image's Java 25 (OperatorJvm) with its AOT cache trained here as the image trains it, side by
##          side with the same without the cache and with the image's defaults, against fabric8's mock API server, and
##          its heap with 5,000 unrelated Secrets, then the shipped jar and options on a real kube-apiserver 1.26 +
##          kube-controller-manager (RealApiMeasureRun: RSS idle and with 100 GlanceAPIs) (target/bench.json). The runs are in
##          src/test/java/.../bench, tagged measure; a missing jar fails the run. MEASURE_ARGS: -Dmeasure.java=JDK_HOME the shipped
##          options on another JDK (e.g. 17), -Dmeasure.before=DIR an earlier build's target DIR (built as here),
##          -Dmeasure.jvm="-X..." more JVM options, -Dmeasure.configs=shipped,... a subset, -Dmeasure.jcmd="VM.native_memory
##          summary" jcmd output idle and loaded, -Dmeasure.jars=a.jar,b.jar the unrelated-objects heap of several builds
measure: generate
	$(MVN) -q package -DskipTests -Dquarkus.operator-sdk.enable-ssa=false -Dquarkus.package.output-directory=measure-app \
	  -Dquarkus.helm.enabled=false -Dquarkus.operator-sdk.bundle.enabled=false
	@test -s target/quarkus-app/quarkus-run.jar && test -s target/measure-app/quarkus-run.jar \
	  || { echo "make measure: the build left no target/quarkus-app/quarkus-run.jar or target/measure-app/quarkus-run.jar"; exit 1; }
	$(MVN) -q surefire:test -Dsurefire.excludedGroups=none -Dsurefire.groups=measure \
	  -Dtest='StartupMeasureRun,UnrelatedObjectsMeasureRun,RealApiMeasureRun' -Dsurefire.failIfNoSpecifiedTests=true \
	  -Dsurefire.printSummary=false $(MEASURE_ARGS)

clean:
	$(MVN) -q clean
