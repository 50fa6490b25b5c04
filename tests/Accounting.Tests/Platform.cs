// The daemon and its tests run on Linux only: libmunge, libc user lookups, Unix file modes.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
