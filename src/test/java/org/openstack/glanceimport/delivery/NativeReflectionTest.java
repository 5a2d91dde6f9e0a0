package org.openstack.glanceimport.delivery;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Set;
import java.util.TreeSet;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.openstack.glanceimport.api.GlanceAPI;
import org.openstack.glanceimport.api.GlanceImportStaging;

/**
 * Every class of the operator's own API packages (api and its sub-packages) reachable from a CR's spec or status fields is registered for
 * reflection, so a field added later with a new nested type fails here rather than in a native binary at run time.
 */
class NativeReflectionTest {

    @Test
    void everyApiTypeReachableFromTheCrsIsRegistered() {
        Set<String> reachable = new TreeSet<>();
        for (Class<?> cr : new Class<?>[] { GlanceAPI.class, GlanceImportStaging.class }) {
            for (Type t : ((ParameterizedType) cr.getGenericSuperclass()).getActualTypeArguments()) {
                collect((Class<?>) t, reachable);
            }
        }
        Set<String> registered = new TreeSet<>();
        for (Class<?> c : NativeReflection.class.getAnnotation(RegisterForReflection.class).targets()) {
            registered.add(c.getName());
        }
        assertEquals(reachable, registered);
    }

    private static void collect(Class<?> type, Set<String> out) {
        if (!(type.getPackageName() + ".").startsWith(GlanceAPI.class.getPackageName() + ".") || !out.add(type.getName())) {
            return;
        }
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                collect(f.getType(), out);
                if (f.getGenericType() instanceof ParameterizedType p) {
                    for (Type arg : p.getActualTypeArguments()) {
                        if (arg instanceof Class<?> k) {
                            collect(k, out);
                        }
                    }
                }
            }
        }
    }
}
