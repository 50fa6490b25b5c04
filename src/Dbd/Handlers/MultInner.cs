using Accounting.Model.Messages;
using Accounting.Model.Wire;

namespace Accounting.Dbd.Handlers;

/// <summary>
/// One inner message of DBD_SEND_MULT_MSG, decoded and matched with its handler. A buffer that does not
/// unpack or has no handler ends the batch with the reply proc_req gives it alone; the batch handler, the
/// spool's acknowledgement and the spool's replay all stop there alike, so what the controller was told
/// is what gets stored.
/// </summary>
public static class MultInner
{
    public readonly record struct Decoded(IDbdMessage? Message, RequestHandler? Handler, PersistRc? Failure, string? Reason);

    public static Decoded Decode(byte[] buffer, ushort version, HandlerTable handlers)
    {
        ushort type = buffer.Length >= 2 ? (ushort)((buffer[0] << 8) | buffer[1]) : (ushort)0;
        string name = DbdMessageTypeInfo.SlurmName(type);
        IDbdMessage inner;
        try
        {
            inner = DbdMessageDecoder.Decode(buffer, version);
        }
        catch (WireFormatException exception)
        {
            return new(null, null, PersistRc.Failure((DbdMessageType)type, SlurmError.Error, $"Failed to unpack {name} message"),
                $"{name} inside DBD_SEND_MULT_MSG does not unpack: {exception.Message}");
        }
        return handlers.Find(inner.Type) is { } handler
            ? new(inner, handler, null, null)
            : new(null, null, new PersistRc("Invalid RPC", 0, SlurmError.Einval, 0), $"invalid RPC {name} inside DBD_SEND_MULT_MSG");
    }
}
