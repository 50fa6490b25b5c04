using Accounting.Model.Records;

namespace Accounting.Dbd.Controllers;

/// <summary>Tells every registered slurmctld about committed changes (ACCOUNTING_UPDATE_MSG; wire spec Appendix A).</summary>
public interface IControllerNotifier
{
    /// <summary>Returns at once; delivery, with retries while a controller is unreachable, happens in the background.</summary>
    void Notify(IReadOnlyList<UpdateObject> updates);
}
