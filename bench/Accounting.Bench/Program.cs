using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Accounting.Bench.CodecBenchmarks).Assembly).Run(args);
