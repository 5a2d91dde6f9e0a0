package org.openstack.glanceimport.support;

import java.util.List;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;

/** Who owns which fields of an object, as the API server records it in managedFields. */
public final class FieldOwners {

    private FieldOwners() {
    }

    /**
     * The field managers other than the user's that own a field of {@code spec}, with what they own. The tests create
     * objects as users do, with fabric8's client (managers fabric8-*); the operator may own finalizers and status only.
     */
    public static List<String> specOwnersOtherThanTheUser(HasMetadata object) {
        return object.getMetadata().getManagedFields().stream().filter(f -> !f.getManager().startsWith("fabric8"))
                .filter(f -> Serialization.asJson(f.getFieldsV1()).contains("\"f:spec\""))
                .map(f -> f.getManager() + " " + Serialization.asJson(f.getFieldsV1())).toList();
    }
}
