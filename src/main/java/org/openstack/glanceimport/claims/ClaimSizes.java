package org.openstack.glanceimport.claims;

import java.math.BigDecimal;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;

/** The sizes a claim asks for, as the API server reads them. */
public final class ClaimSizes {

    private ClaimSizes() {
    }

    /** Bytes a claim requests; zero when it names no size. */
    public static BigDecimal requested(PersistentVolumeClaim claim) {
        Quantity q = claim.getSpec() == null || claim.getSpec().getResources() == null
                || claim.getSpec().getResources().getRequests() == null ? null
                        : claim.getSpec().getResources().getRequests().get("storage");
        return q == null ? BigDecimal.ZERO : Quantity.getAmountInBytes(q);
    }
}
