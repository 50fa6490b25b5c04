using System.Runtime.InteropServices;

namespace Accounting.Dbd.Authentication;

/// <summary>libmunge.so.2 from Debian's libmunge2 (munge.h, 0.5.15).</summary>
internal static partial class MungeNative
{
    private const string Library = "libmunge.so.2";

    public const int OptionTtl = 4;
    public const int OptionSocket = 8;

    public const int Success = 0;
    public const int ErrorSocket = 6;
    public const int ErrorCredentialExpired = 15;
    public const int ErrorCredentialRewound = 16;
    public const int ErrorCredentialReplayed = 17;

    [LibraryImport(Library, EntryPoint = "munge_ctx_create")]
    public static partial IntPtr ContextCreate();

    [LibraryImport(Library, EntryPoint = "munge_ctx_destroy")]
    public static partial void ContextDestroy(IntPtr context);

    // munge_ctx_set is variadic; with one pointer or int argument a fixed signature passes it in the same
    // register on x86-64 and aarch64 Linux, which is all Debian's Slurm runs on.
    [LibraryImport(Library, EntryPoint = "munge_ctx_set", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ContextSetString(IntPtr context, int option, string value);

    [LibraryImport(Library, EntryPoint = "munge_ctx_set")]
    public static partial int ContextSetInt(IntPtr context, int option, int value);

    [LibraryImport(Library, EntryPoint = "munge_ctx_strerror")]
    public static partial IntPtr ContextError(IntPtr context);

    [LibraryImport(Library, EntryPoint = "munge_strerror")]
    public static partial IntPtr ErrorText(int error);

    [LibraryImport(Library, EntryPoint = "munge_decode")]
    public static partial int Decode(ReadOnlySpan<byte> credential, IntPtr context,
        out IntPtr payload, out int payloadLength, out uint uid, out uint gid);

    [LibraryImport(Library, EntryPoint = "munge_encode")]
    public static partial int Encode(out IntPtr credential, IntPtr context, ReadOnlySpan<byte> payload, int payloadLength);

    /// <summary>munge allocates payloads and credentials with malloc; they go back to libc's free.</summary>
    [LibraryImport("libc", EntryPoint = "free")]
    public static partial void Free(IntPtr pointer);
}
