using Accounting.Model.Messages;
using Accounting.Model.Records;
using Accounting.Model.Wire;
using BenchmarkDotNet.Attributes;

namespace Accounting.Bench;

/// <summary>
/// The codec paths that carry the volume: sacct's GOT_JOBS reply (built from the captured jobs, repeated
/// to a thousand) and the controller's job start/complete records.
/// </summary>
[MemoryDiagnoser]
public class CodecBenchmarks
{
    private const int JobsPerReply = 1000;

    private byte[] _gotJobs = [];
    private ListMessage<JobRecord> _jobs = null!;
    private byte[] _multJobStart = [];
    private readonly SlurmWriter _writer = new(1 << 20);

    [GlobalSetup]
    public void Setup()
    {
        var captured = (ListMessage<JobRecord>)DbdMessageDecoder.Decode(
            CapturedMessages.OfType("sacct_all", "s2c", DbdMessageType.GotJobs).First(), ProtocolVersion.Current);
        var jobs = Enumerable.Range(0, JobsPerReply).Select(i => captured.Items![i % captured.Items.Count]).ToList();
        _jobs = new ListMessage<JobRecord>(DbdMessageType.GotJobs, jobs);
        DbdMessageFraming.Pack(_jobs, _writer, ProtocolVersion.Current);
        _gotJobs = _writer.WrittenSpan.ToArray();
        _multJobStart = CapturedMessages.OfType("slurmctld", "c2s", DbdMessageType.SendMultJobStart).First();
    }

    [Benchmark(Description = "unpack GOT_JOBS, 1000 jobs with steps")]
    public IDbdMessage UnpackJobs() => DbdMessageDecoder.Decode(_gotJobs, ProtocolVersion.Current);

    [Benchmark(Description = "pack GOT_JOBS, 1000 jobs with steps")]
    public int PackJobs()
    {
        _writer.Reset();
        DbdMessageFraming.Pack(_jobs, _writer, ProtocolVersion.Current);
        return _writer.Length;
    }

    [Benchmark(Description = "unpack SEND_MULT_JOB_START, 4 jobs")]
    public IDbdMessage UnpackJobStarts() => DbdMessageDecoder.Decode(_multJobStart, ProtocolVersion.Current);
}
