namespace GovFlow.Workflows.Tests;

/// <summary>
/// Locates the repository and the shared folder with Elsa's fixtures: <c>GOVFLOW_SHARED</c> when set, else the
/// <c>shared</c> folder beside the repository, else beside the repository this one was cloned from (a clone made
/// elsewhere, e.g. under /tmp, still finds it).
/// </summary>
internal static class Paths
{
    public static string RepoRoot { get; } = FindRoot();

    public static string Shared { get; } = FindShared();

    public static string Conformance => Path.Combine(Shared, "elsa-conformance");

    public static string ConformanceFile(string name) => Path.Combine(Conformance, "files", name);

    private static string FindShared()
    {
        var candidates = new List<string?> { Environment.GetEnvironmentVariable("GOVFLOW_SHARED"), Path.Combine(RepoRoot, "..", "shared") };
        if (Origin() is { } origin) candidates.Add(Path.Combine(origin, "..", "shared"));
        return candidates.Where(c => !string.IsNullOrEmpty(c)).Select(c => Path.GetFullPath(c!)).FirstOrDefault(c => Directory.Exists(Path.Combine(c, "elsa-conformance")))
               ?? throw new DirectoryNotFoundException($"The shared folder with elsa-conformance is neither beside {RepoRoot} nor beside its origin; set GOVFLOW_SHARED.");
    }

    /// <summary>The local path this repository was cloned from, if it was cloned from a folder.</summary>
    private static string? Origin()
    {
        try
        {
            using var git = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("git", ["-C", RepoRoot, "remote", "get-url", "origin"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var url = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 && Directory.Exists(url) ? url : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no git
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "GovFlow.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("GovFlow.sln not found above the test directory.");
    }
}
