using System.Runtime.InteropServices;

namespace Accounting.Dbd.Authorization;

/// <summary>
/// uid ↔ user name through libc's getpwuid_r/getpwnam_r, so NSS (LDAP, sssd) answers as it does for
/// slurmdbd itself; /etc/passwd alone would miss site directories.
/// </summary>
public static partial class UnixUsers
{
    [StructLayout(LayoutKind.Sequential)]
    private struct Passwd
    {
        public IntPtr Name;
        public IntPtr Password;
        public uint Uid;
        public uint Gid;
        public IntPtr Gecos;
        public IntPtr Directory;
        public IntPtr Shell;
    }

    [LibraryImport("libc", EntryPoint = "getpwuid_r")]
    private static partial int GetPasswordByUid(uint uid, out Passwd entry, byte[] buffer, nuint bufferLength, out IntPtr result);

    [LibraryImport("libc", EntryPoint = "getpwnam_r", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int GetPasswordByName(string name, out Passwd entry, byte[] buffer, nuint bufferLength, out IntPtr result);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUid();

    [LibraryImport("libc", EntryPoint = "getegid")]
    private static partial uint GetEffectiveGid();

    public static uint EffectiveUid() => GetEffectiveUid();

    public static uint EffectiveGid() => GetEffectiveGid();

    private const int BufferSize = 16384;

    public static string? NameOf(uint uid)
    {
        var buffer = new byte[BufferSize];
        return GetPasswordByUid(uid, out var entry, buffer, (nuint)buffer.Length, out var found) == 0 && found != IntPtr.Zero
            ? Marshal.PtrToStringUTF8(entry.Name)
            : null;
    }

    /// <summary>A user name, or a uid written as a number (as uid_from_string takes SlurmUser).</summary>
    public static uint? UidOfNameOrNumber(string user) =>
        UidOf(user) ?? (uint.TryParse(user, out uint uid) ? uid : null);

    public static uint? UidOf(string name)
    {
        var buffer = new byte[BufferSize];
        return GetPasswordByName(name, out var entry, buffer, (nuint)buffer.Length, out var found) == 0 && found != IntPtr.Zero
            ? entry.Uid
            : null;
    }
}
