package io.wagateway.support;

/**
 * Makes PostgreSQL refuse chosen rows with a chosen SQLSTATE, as it refuses data it cannot hold: a trigger
 * raises the error for a message whose content starts with {@code poison-<SQLSTATE>} and for a status kept
 * pending whose wamid starts with {@code wamid.POISON<SQLSTATE>}. Every other row passes untouched, so tests
 * that run beside it see no difference.
 */
public final class Poison {

    private Poison() {
    }

    /** Installs the triggers in the test database (idempotent). */
    public static void install() {
        Sql.update("""
                create or replace function test_poison_message() returns trigger language plpgsql as $$
                begin
                    if new.content like 'poison-%' then
                        raise exception 'poisoned row for a test' using errcode = substr(new.content, 8, 5);
                    end if;
                    return new;
                end $$""");
        Sql.update("""
                create or replace function test_poison_status() returns trigger language plpgsql as $$
                begin
                    if new.message_id like 'wamid.POISON%' then
                        raise exception 'poisoned row for a test' using errcode = substr(new.message_id, 13, 5);
                    end if;
                    return new;
                end $$""");
        Sql.update("drop trigger if exists test_poison on whatsapp_messages");
        Sql.update("create trigger test_poison before insert on whatsapp_messages for each row "
                + "execute function test_poison_message()");
        Sql.update("drop trigger if exists test_poison on whatsapp_pending_statuses");
        Sql.update("create trigger test_poison before insert on whatsapp_pending_statuses for each row "
                + "execute function test_poison_status()");
    }

    /** Message text that PostgreSQL refuses with {@code sqlstate}. */
    public static String content(String sqlstate) {
        return "poison-" + sqlstate + "-" + java.util.UUID.randomUUID();
    }

    /** A wamid whose pending status PostgreSQL refuses with {@code sqlstate}. */
    public static String statusWamid(String sqlstate) {
        return "wamid.POISON" + sqlstate + java.util.UUID.randomUUID().toString().replace("-", "");
    }
}
