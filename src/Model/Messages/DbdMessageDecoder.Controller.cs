using Accounting.Model.Wire;

namespace Accounting.Model.Messages;

public static partial class DbdMessageDecoder
{
    /// <summary>Messages of slurmctld and their replies (wire spec §9), and the job queries of sacct.</summary>
    private static IDbdMessage? DecodeController(DbdMessageType type, ref SlurmReader reader) => type switch
    {
        _ => null,
    };
}
