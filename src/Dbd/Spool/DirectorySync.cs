using System.Runtime.InteropServices;

namespace Accounting.Dbd.Spool;

/// <summary>fsync of a directory, which .NET has no API for: a new or renamed file is durable only then.</summary>
internal static partial class DirectorySync
{
    private const int OpenReadOnlyDirectory = 0x10000; // O_RDONLY | O_DIRECTORY on Linux

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int descriptor);

    public static void Flush(string directory)
    {
        int descriptor = Open(directory, OpenReadOnlyDirectory);
        if (descriptor < 0)
            throw new IOException($"cannot open directory {directory}: errno {Marshal.GetLastPInvokeError()}");
        try
        {
            if (Fsync(descriptor) != 0)
                throw new IOException($"fsync of directory {directory} failed: errno {Marshal.GetLastPInvokeError()}");
        }
        finally
        {
            Close(descriptor);
        }
    }
}
