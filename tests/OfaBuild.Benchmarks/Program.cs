using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/OfaBuild.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
