using Accounting.Model.Records;
using Accounting.Model.Wire;
using Dapper;

namespace Accounting.Dbd.Storage;

/// <summary>
/// The limit columns of an association as an add or modify sets them (setup_assoc_limits): NO_VAL leaves
/// a limit unset, INFINITE clears it (NULL, i.e. unlimited or inherited), any other number is the limit.
/// </summary>
public sealed class AssociationLimits
{
    public const string Columns = "shares, max_jobs, max_jobs_accrue, min_prio_thresh, max_submit_jobs, max_wall_pj, "
        + "grp_jobs, grp_jobs_accrue, grp_submit_jobs, grp_wall, priority, def_qos_id, "
        + "max_tres_pj, max_tres_pn, max_tres_mins_pj, max_tres_run_mins, grp_tres, grp_tres_mins, grp_tres_run_mins";

    public const string Parameters = "@Shares, @MaxJobs, @MaxJobsAccrue, @MinPrioThresh, @MaxSubmitJobs, @MaxWallPj, "
        + "@GrpJobs, @GrpJobsAccrue, @GrpSubmitJobs, @GrpWall, @Priority, @DefQosId, "
        + "@MaxTresPj, @MaxTresPn, @MaxTresMinsPj, @MaxTresRunMins, @GrpTres, @GrpTresMins, @GrpTresRunMins";

    public static readonly string Assignments = string.Join(", ",
        Columns.Split(", ").Zip(Parameters.Split(", "), (column, parameter) => $"{column} = {parameter}"));

    private readonly Dictionary<string, object?> _values = [];

    public static AssociationLimits From(AssociationRecord record)
    {
        var limits = new AssociationLimits();
        // FairShare: unset is 1, INFINITE (a cleared share) is 1 too, as slurmdbd stores it.
        limits._values["Shares"] = record.SharesRaw is SlurmValues.NoVal or SlurmValues.Infinite ? 1u : record.SharesRaw;
        limits.Number("MaxJobs", record.MaxJobs);
        limits.Number("MaxJobsAccrue", record.MaxJobsAccrue);
        limits.Number("MinPrioThresh", record.MinPrioThreshold);
        limits.Number("MaxSubmitJobs", record.MaxSubmitJobs);
        limits.Number("MaxWallPj", record.MaxWallPerJob);
        limits.Number("GrpJobs", record.GrpJobs);
        limits.Number("GrpJobsAccrue", record.GrpJobsAccrue);
        limits.Number("GrpSubmitJobs", record.GrpSubmitJobs);
        limits.Number("GrpWall", record.GrpWall);
        limits.Number("Priority", record.Priority);
        limits.Number("DefQosId", record.DefaultQosId);
        limits.Text("MaxTresPj", record.MaxTresPerJob);
        limits.Text("MaxTresPn", record.MaxTresPerNode);
        limits.Text("MaxTresMinsPj", record.MaxTresMinsPerJob);
        limits.Text("MaxTresRunMins", record.MaxTresRunMins);
        limits.Text("GrpTres", record.GrpTres);
        limits.Text("GrpTresMins", record.GrpTresMins);
        limits.Text("GrpTresRunMins", record.GrpTresRunMins);
        return limits;
    }

    private void Number(string name, uint value) =>
        _values[name] = value is SlurmValues.NoVal or SlurmValues.Infinite ? null : value;

    private void Text(string name, string? value) => _values[name] = value ?? "";

    /// <summary>These limits as Dapper parameters, together with the statement's own.</summary>
    public DynamicParameters WithParameters(object others)
    {
        var parameters = new DynamicParameters(others);
        foreach (var (name, value) in _values)
            parameters.Add(name, value);
        return parameters;
    }
}
