namespace Accounting.Dbd.Configuration;

/// <summary>Where slurmdbd looks for slurmdbd.conf when not told (get_extra_conf_path in src/common/read_config.c).</summary>
public static class SlurmdbdConfLocation
{
    /// <summary>default_slurm_config_file for a build with --sysconfdir=/etc/slurm.</summary>
    public const string DefaultSlurmConf = "/etc/slurm/slurm.conf";

    public const string FileName = "slurmdbd.conf";

    /// <summary>
    /// slurmdbd.conf in the directory of <paramref name="slurmConf"/> (the value of $SLURM_CONF,
    /// null when unset). A SLURM_CONF without any '/' names a file in the working directory.
    /// </summary>
    public static string FromSlurmConf(string? slurmConf)
    {
        string conf = slurmConf ?? DefaultSlurmConf;
        int slash = conf.LastIndexOf('/');
        return conf[..(slash + 1)] + FileName;
    }
}
