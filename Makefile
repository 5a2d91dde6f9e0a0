# glance-import-operator
MVN ?= ./mvnw -B
E2E_RUN ?= $(CURDIR)/target/e2e-run

.PHONY: demo test run build e2e bench bench-import clean

## demo: run the operator against an in-process Kubernetes API (no cluster), apply samples/, scale to 3, print what exists
demo:
	@$(MVN) -q test -Dsurefire.excludedGroups=none -Dsurefire.groups=demo -Dquarkus.log.level=WARN \
	  -Dquarkus.log.category.\"org.openstack\".level=WARN -Dsurefire.printSummary=false

## test: unit and reconciler tests (mock API server); no cluster or services needed
test:
	$(MVN) test

## run: the operator against the cluster of the current kubeconfig (CRDs must be installed: make install-crds)
run:
	$(MVN) quarkus:dev -Dquarkus.operator-sdk.crd.apply=true

## build: the JVM operator image inputs (target/quarkus-app), CRDs and manifests (target/kubernetes, target/bundle)
build:
	$(MVN) package -DskipTests

## e2e: real glance-api/Ceph/MariaDB/Keystone processes running the operator's rendered pods (installs Debian packages)
e2e:
	mkdir -p $(E2E_RUN)
	E2E_RUN=$(E2E_RUN) E2E_RENDER="$(MVN) -q test -Dsurefire.excludedGroups=none -Dsurefire.groups=render -Dquarkus.log.level=WARN -De2e.secrets=$(E2E_RUN)/secrets.json -De2e.out=$(E2E_RUN)/rendered.json" \
	  E2E_LIVE="$(MVN) test -Dsurefire.excludedGroups=none -Dsurefire.groups=live -Dquarkus.log.level=WARN -De2e.run=$(E2E_RUN)" \
	  bash e2e/run.sh --render

## bench: operator performance on the in-process API server: 1 and 500 GlanceAPIs, heap, requests of a full resync
bench:
	$(MVN) -q test -Dsurefire.excludedGroups=none -Dsurefire.groups=bench -Dquarkus.log.level=WARN

## bench-import: 6 qcow2 imports staged across 3 pods vs on 1 pod, and import vs bare qemu-img convert (not in CI);
## runs on the List the operator rendered in the last `make e2e`
bench-import:
	@test -s $(E2E_RUN)/rendered.json || { echo "run make e2e first: it leaves the operator's rendered List in $(E2E_RUN)"; exit 1; }
	/usr/bin/python3 e2e/bench_import.py $(E2E_RUN)/rendered.json --repeat 2 --out target/bench-import.json

clean:
	$(MVN) -q clean
