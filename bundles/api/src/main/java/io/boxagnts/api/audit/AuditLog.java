package io.boxagnts.api.audit;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The tamper-evident record of what the agent and the administrators did. Tool calls reach it by themselves (it
 * listens to the tool registry); whoever performs an administrative action reports it here.
 */
@ProviderType
public interface AuditLog {

    /** Appends an administrative action; never throws (a log that cannot be written says so in the runtime log). */
    void record(AdminAction action);

    /** Appends a tool's attempt to reach the web (record type {@code web_fetch}, since 1.2); never throws. */
    void record(WebAccess access);

    /**
     * The records that match, oldest first: the newest {@link AuditQuery#limit()} of them.
     *
     * @return each record as its JSON text, exactly as stored
     */
    List<String> find(AuditQuery query);
}
