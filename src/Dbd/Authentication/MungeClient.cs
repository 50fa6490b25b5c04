using System.Runtime.InteropServices;
using System.Text;

namespace Accounting.Dbd.Authentication;

/// <summary>What munge_decode said about a credential.</summary>
public sealed record MungeDecodeResult(int Error, string ErrorMessage, uint Uid, uint Gid, byte[] Payload)
{
    public bool Succeeded => Error == MungeNative.Success;
}

/// <summary>
/// munge_encode/munge_decode against one munged socket (AuthInfo=socket=...; default
/// /run/munge/munge.socket.2). A context is made per call because munge contexts are not thread-safe.
/// </summary>
public sealed class MungeClient(string? socketPath)
{
    /// <summary>slurm retries EMUNGE_SOCKET up to 20 times, 100 ms apart (wire spec §4.4).</summary>
    private const int SocketRetries = 20;

    public string? SocketPath { get; } = socketPath;

    public MungeDecodeResult Decode(string credential)
    {
        byte[] cString = new byte[Encoding.ASCII.GetByteCount(credential) + 1];
        Encoding.ASCII.GetBytes(credential, cString);
        for (int attempt = 1; ; attempt++)
        {
            var result = DecodeOnce(cString);
            if (result.Error != MungeNative.ErrorSocket || attempt == SocketRetries)
                return result;
            Thread.Sleep(100);
        }
    }

    private MungeDecodeResult DecodeOnce(byte[] cString)
    {
        IntPtr context = CreateContext();
        try
        {
            int error = MungeNative.Decode(cString, context, out IntPtr payload, out int length, out uint uid, out uint gid);
            byte[] payloadBytes = [];
            if (payload != IntPtr.Zero)
            {
                payloadBytes = new byte[Math.Max(length, 0)];
                Marshal.Copy(payload, payloadBytes, 0, payloadBytes.Length);
                MungeNative.Free(payload);
            }
            string message = error == MungeNative.Success ? "" : ContextErrorOrDefault(context, error);
            return new MungeDecodeResult(error, message, uid, gid, payloadBytes);
        }
        finally
        {
            MungeNative.ContextDestroy(context);
        }
    }

    /// <summary>A credential anyone on this host may decode (no uid restriction), as slurm's r_uid ANY.</summary>
    public string Encode(ReadOnlySpan<byte> payload, int? ttlSeconds = null)
    {
        IntPtr context = CreateContext();
        try
        {
            if (ttlSeconds is int ttl)
                MungeNative.ContextSetInt(context, MungeNative.OptionTtl, ttl);
            int error = MungeNative.Encode(out IntPtr credential, context, payload, payload.Length);
            if (error != MungeNative.Success)
                throw new InvalidOperationException($"munge_encode failed: {ContextErrorOrDefault(context, error)}");
            try
            {
                return Marshal.PtrToStringAnsi(credential) ?? "";
            }
            finally
            {
                MungeNative.Free(credential);
            }
        }
        finally
        {
            MungeNative.ContextDestroy(context);
        }
    }

    private IntPtr CreateContext()
    {
        IntPtr context = MungeNative.ContextCreate();
        if (context == IntPtr.Zero)
            throw new OutOfMemoryException("munge_ctx_create failed");
        if (SocketPath is not null)
        {
            int error = MungeNative.ContextSetString(context, MungeNative.OptionSocket, SocketPath);
            if (error != MungeNative.Success)
            {
                MungeNative.ContextDestroy(context);
                throw new InvalidOperationException($"munge socket {SocketPath}: {Marshal.PtrToStringAnsi(MungeNative.ErrorText(error))}");
            }
        }
        return context;
    }

    private static string ContextErrorOrDefault(IntPtr context, int error) =>
        Marshal.PtrToStringAnsi(MungeNative.ContextError(context))
        ?? Marshal.PtrToStringAnsi(MungeNative.ErrorText(error))
        ?? $"munge error {error}";
}
