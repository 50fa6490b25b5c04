using Accounting.Model.Wire;
using Dapper;

namespace Accounting.Dbd.Storage;

/// <summary>
/// The txn table: every add, modify and remove is recorded with its message type as action, what it
/// touched, who asked and what it set (records spec §9.4; `sacctmgr show transactions`).
/// </summary>
public sealed class TransactionLog
{
    public void Record(SqlScope scope, DbdMessageType action, string name, string actor, string info, long now, string cluster = "") =>
        scope.Connection.Execute("""
            INSERT INTO txn (`timestamp`, action, name, actor, cluster, info) VALUES (@Now, @Action, @Name, @Actor, @Cluster, @Info)
            """, new { Now = now, Action = (ushort)action, Name = name, Actor = actor, Cluster = cluster, Info = info }, scope.Transaction);
}
