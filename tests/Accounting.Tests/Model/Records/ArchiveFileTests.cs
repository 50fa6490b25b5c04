using Accounting.Model.Records;
using Accounting.Model.Wire;
using Accounting.Tests.EndToEnd;

namespace Accounting.Tests.Model.Records;

/// <summary>The archive file codec against files the real slurmdbd 22.05.8 wrote, and its refusals.</summary>
public sealed class ArchiveFileTests
{
    private static byte[] Real(string table) =>
        File.ReadAllBytes(ArchiveDumpLoadTests.RealArchive($"alpha_{table}_table_archive_2025-01-01T00:00:00_2025-02-01T00:00:00"));

    private static byte[] Packed(ArchiveFile file)
    {
        var writer = new SlurmWriter();
        file.Pack(writer);
        return writer.WrittenSpan.ToArray();
    }

    [Theory]
    [InlineData("job")]
    [InlineData("step")]
    public void A_real_archive_unpacks_and_packs_to_the_same_bytes(string table)
    {
        byte[] real = Real(table);
        var file = ArchiveFile.Unpack(real);
        Assert.Equal(ProtocolVersion.Current, file.Version);
        Assert.Equal("alpha", file.Cluster);
        Assert.Equal(real, Packed(file));
    }

    [Fact]
    public void A_real_job_archive_names_its_columns_in_the_reference_order()
    {
        var file = ArchiveFile.Unpack(Real("job"));
        Assert.Same(ArchiveKind.Jobs, file.Kind);
        Assert.Equal(4, file.Rows.Count);
        var first = file.Rows.MinBy(row => row[ArchiveKind.Jobs.IndexOf("time_submit")])!;
        Assert.Equal("67108865", first[ArchiveKind.Jobs.IndexOf("id_job")]);
        Assert.Equal("debug", first[ArchiveKind.Jobs.IndexOf("partition")]);
        Assert.Equal("wrap", first[ArchiveKind.Jobs.IndexOf("job_name")]);
        // NULL columns of the reference stay NULL, empty strings stay empty.
        Assert.Null(first[ArchiveKind.Jobs.IndexOf("id_block")]);
    }

    [Fact]
    public void A_usage_file_carries_its_period_after_the_count()
    {
        var file = new ArchiveFile(ProtocolVersion.Current, 1_700_000_000, ArchiveKind.ClusterUsage, "alpha", 1,
            [["1", "1735689600", "2", "100", "0", "0", "172700", "0", "0", "1735689600", "0", "0"]]);
        byte[] bytes = Packed(file);
        // version (2), time (8), type (2), "alpha" (4 + 6 bytes), then the count and the period.
        Assert.Equal([0, 0, 0, 1, 0, 1], bytes[22..28]);
        var back = ArchiveFile.Unpack(bytes);
        Assert.Equal(1, back.Period);
        Assert.Equal(file.Rows[0], back.Rows[0]);
    }

    [Fact]
    public void A_newer_version_an_unknown_type_and_a_short_file_are_refused()
    {
        byte[] real = Real("step");
        byte[] newer = (byte[])real.Clone();
        newer[0] = 0x27;
        Assert.Equal((ushort?)0x2700, ArchiveFile.PeekVersion(newer));
        Assert.Throws<WireFormatException>(() => ArchiveFile.Unpack(newer));

        byte[] unknown = (byte[])real.Clone();
        unknown[10] = 0x7f;
        Assert.Throws<WireFormatException>(() => ArchiveFile.Unpack(unknown));

        Assert.Throws<WireFormatException>(() => ArchiveFile.Unpack(real.AsSpan(0, real.Length - 1)));
        Assert.Throws<WireFormatException>(() => ArchiveFile.Unpack([.. real, 0]));
    }
}
