using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(GovFlow.Benchmarks.EngineBenchmarks).Assembly).Run(args);
