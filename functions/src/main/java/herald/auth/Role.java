package herald.auth;

import java.util.Locale;

/**
 * What a key may do, following the Ayon contract's roles. {@code admin}: everything, including scripts, triggers,
 * keys and the cache. {@code service}: dispatch, update and delete events, and enroll (Ayon's service users).
 * {@code user}: read events, and update its own events as the contract allows a non-manager.
 */
public enum Role {
    ADMIN, SERVICE, USER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String value) {
        for (Role role : values()) {
            if (role.wireName().equals(value)) {
                return role;
            }
        }
        return null;
    }

    /** Ayon's "manager": may create events and edit anyone's. */
    public boolean isManager() {
        return this != USER;
    }
}
