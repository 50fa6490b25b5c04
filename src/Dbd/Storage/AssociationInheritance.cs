using Accounting.Model.Records;
using Accounting.Model.Wire;

namespace Accounting.Dbd.Storage;

/// <summary>The assoc_cond flags that change how GET_ASSOCS fills records.</summary>
public sealed record AssociationReadOptions(bool WithoutParentInfo, bool WithoutParentLimits, bool WithRawQos)
{
    public static readonly AssociationReadOptions Default = new(false, false, false);

    public static AssociationReadOptions From(AssociationCondition condition) =>
        new(condition.WithoutParentInfo != 0, condition.WithoutParentLimits != 0, condition.WithRawQos != 0);
}

/// <summary>
/// What GET_ASSOCS returns for a row (_cluster_get_assocs and the get_parent_limits procedure of the
/// reference): the row's own settings, and for every limit it leaves unset the value of the nearest
/// account association above it that sets one. Group limits and shares are never inherited; per-TRES
/// limits are merged level by level, the nearest value per TRES winning; the QOS list is the row's own,
/// else the nearest ancestor's with every +/- delta on the way down applied.
/// </summary>
public sealed class AssociationInheritance(IEnumerable<AssociationRow> accountAssociations, AssociationReadOptions options)
{
    private readonly Dictionary<string, AssociationRow> _accounts = accountAssociations
        .Where(row => row.IsAccountAssociation && row.Partition.Length == 0)
        .GroupBy(row => row.Acct, StringComparer.Ordinal)
        .ToDictionary(group => group.Key, group => group.First(), StringComparer.Ordinal);

    private readonly Dictionary<string, ParentLimits> _parents = new(StringComparer.Ordinal);

    /// <summary>What the ancestors of an association provide, from its parent account upwards.</summary>
    private sealed record ParentLimits(
        uint ParentId, uint DefQosId, uint MaxJobs, uint MaxJobsAccrue, uint MinPrioThresh, uint MaxSubmitJobs,
        uint MaxWallPj, uint Priority, string MaxTresPj, string MaxTresPn, string MaxTresMinsPj, string MaxTresRunMins,
        string Qos, string DeltaQos)
    {
        public static readonly ParentLimits None = new(0, 0, SlurmValues.Infinite, SlurmValues.Infinite, SlurmValues.Infinite,
            SlurmValues.Infinite, SlurmValues.Infinite, SlurmValues.Infinite, "", "", "", "", "", "");
    }

    public AssociationRecord ToRecord(AssociationRow row)
    {
        // A user association's parent is its account's association; an account's is parent_acct.
        string? parentAccount = options.WithoutParentInfo ? null
            : row.ParentAcct.Length > 0 ? row.ParentAcct
            : row.IsAccountAssociation ? null
            : row.Acct;
        var parent = parentAccount is null ? ParentLimits.None : ParentOf(parentAccount);

        return new AssociationRecord
        {
            Account = row.Acct,
            Cluster = row.ClusterName,
            DefaultQosId = row.DefQosId ?? parent.DefQosId,
            Flags = row.Deleted ? AssociationFlagDeleted : (ushort)0,
            SharesRaw = row.Shares,
            GrpTresMins = ColumnText.NullIfEmpty(row.GrpTresMins),
            GrpTresRunMins = ColumnText.NullIfEmpty(row.GrpTresRunMins),
            GrpTres = ColumnText.NullIfEmpty(row.GrpTres),
            GrpJobs = row.GrpJobs ?? SlurmValues.Infinite,
            GrpJobsAccrue = row.GrpJobsAccrue ?? SlurmValues.Infinite,
            GrpSubmitJobs = row.GrpSubmitJobs ?? SlurmValues.Infinite,
            GrpWall = row.GrpWall ?? SlurmValues.Infinite,
            Id = row.IdAssoc,
            IsDefault = row.IsDef ? (ushort)1 : (ushort)0,
            Lft = (uint)row.Lft,
            MaxTresMinsPerJob = TresStrings.Combine(row.MaxTresMinsPj, parent.MaxTresMinsPj),
            MaxTresRunMins = TresStrings.Combine(row.MaxTresRunMins, parent.MaxTresRunMins),
            MaxTresPerJob = TresStrings.Combine(row.MaxTresPj, parent.MaxTresPj),
            MaxTresPerNode = TresStrings.Combine(row.MaxTresPn, parent.MaxTresPn),
            MaxJobs = row.MaxJobs ?? parent.MaxJobs,
            MaxJobsAccrue = row.MaxJobsAccrue ?? parent.MaxJobsAccrue,
            MinPrioThreshold = row.MinPrioThresh ?? parent.MinPrioThresh,
            MaxSubmitJobs = row.MaxSubmitJobs ?? parent.MaxSubmitJobs,
            MaxWallPerJob = row.MaxWallPj ?? parent.MaxWallPj,
            ParentAccount = options.WithoutParentInfo ? null : ColumnText.NullIfEmpty(row.ParentAcct),
            ParentId = parent.ParentId,
            Partition = ColumnText.NullIfEmpty(row.Partition),
            Priority = row.Priority ?? parent.Priority,
            QosList = QosListOf(row, parent),
            Rgt = (uint)row.Rgt,
            User = ColumnText.NullIfEmpty(row.User),
        };
    }

    public const ushort AssociationFlagDeleted = 0x1;

    private ParentLimits ParentOf(string account)
    {
        if (_parents.TryGetValue(account, out var known))
            return known;
        var limits = WalkUp(account);
        _parents[account] = limits;
        return limits;
    }

    /// <summary>From the parent account association up to root, the first value set at each limit.</summary>
    private ParentLimits WalkUp(string account)
    {
        uint? parentId = null, defQos = null, maxJobs = null, maxJobsAccrue = null, minPrio = null, maxSubmit = null,
            maxWall = null, priority = null;
        string tresPerJob = "", tresPerNode = "", tresMins = "", tresRunMins = "", qos = "", deltaQos = "";
        var visited = new HashSet<string>(StringComparer.Ordinal);
        for (string? current = account; current is { Length: > 0 } && visited.Add(current); )
        {
            if (!_accounts.TryGetValue(current, out var level))
                break;
            parentId ??= level.IdAssoc;
            if (options.WithoutParentLimits)
                break;
            defQos ??= level.DefQosId;
            maxJobs ??= level.MaxJobs;
            maxJobsAccrue ??= level.MaxJobsAccrue;
            minPrio ??= level.MinPrioThresh;
            maxSubmit ??= level.MaxSubmitJobs;
            maxWall ??= level.MaxWallPj;
            priority ??= level.Priority;
            tresPerJob = TresStrings.Append(tresPerJob, level.MaxTresPj);
            tresPerNode = TresStrings.Append(tresPerNode, level.MaxTresPn);
            tresMins = TresStrings.Append(tresMins, level.MaxTresMinsPj);
            tresRunMins = TresStrings.Append(tresRunMins, level.MaxTresRunMins);
            if (qos.Length == 0)
            {
                qos = level.Qos;
                // Deltas of higher levels come first: they apply before the ones below them.
                deltaQos = (level.DeltaQos + deltaQos).Replace(",,", ",");
            }
            current = level.ParentAcct;
        }
        if (options.WithoutParentLimits)
            return ParentLimits.None with { ParentId = parentId ?? 0 };
        return new ParentLimits(parentId ?? 0, defQos ?? 0, maxJobs ?? SlurmValues.Infinite, maxJobsAccrue ?? SlurmValues.Infinite,
            minPrio ?? SlurmValues.Infinite, maxSubmit ?? SlurmValues.Infinite, maxWall ?? SlurmValues.Infinite,
            priority ?? SlurmValues.Infinite, tresPerJob, tresPerNode, tresMins, tresRunMins, qos, deltaQos);
    }

    private List<string> QosListOf(AssociationRow row, ParentLimits parent)
    {
        if (row.Qos.Length > 0)
            return Split(row.Qos);
        var qos = Split(parent.Qos);
        var deltas = Split(parent.DeltaQos).Concat(Split(row.DeltaQos)).ToList();
        if (options.WithRawQos)
        {
            qos.AddRange(deltas);
            return qos;
        }
        foreach (string delta in deltas)
        {
            if (delta.StartsWith('-'))
                qos.Remove(delta[1..]);
            else if (delta.StartsWith('+') && !qos.Contains(delta[1..]))
                qos.Add(delta[1..]);
        }
        return qos;
    }

    private static List<string> Split(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries).ToList();
}
