namespace Accounting.Dbd.Spool;

/// <summary>The spool reached its size limit: new records are refused rather than old ones dropped.</summary>
public sealed class SpoolFullException(long bytes, long limit)
    : Exception($"spool is full ({bytes} of {limit} bytes); refusing new records until the database is back");
