namespace GovFlow.Workflows.Expressions;

/// <summary>Settings of the scripting languages (the host reads them from <c>GovFlow:Expressions</c>).</summary>
public sealed record ExpressionOptions
{
    /// <summary>JavaScript with the default limits, C# off.</summary>
    public static ExpressionOptions Default { get; } = new();

    /// <summary>
    /// For definitions the operator runs from local files (the command line, Elsa's conformance fixtures): C# on,
    /// because the person running them is their author.
    /// </summary>
    public static ExpressionOptions TrustedFiles { get; } = new() { CSharp = new CSharpOptions { Enabled = true } };

    /// <summary>Limits of every JavaScript evaluation.</summary>
    public ScriptLimits JavaScript { get; init; } = ScriptLimits.Default;

    /// <summary>Whether C# may be used, and its limits.</summary>
    public CSharpOptions CSharp { get; init; } = CSharpOptions.Default;

    /// <summary>Liquid's sandbox (<see cref="LiquidLimits"/>' defaults when null).</summary>
    public LiquidLimits? Liquid { get; init; }
}

/// <summary>
/// C# expressions and Elsa.RunCSharp: off unless the operator turns them on for trusted authors. When on, scripts
/// compile against an allow-list of types and run with a time limit.
/// </summary>
public sealed record CSharpOptions
{
    /// <summary>Off, 1 second.</summary>
    public static CSharpOptions Default { get; } = new();

    /// <summary>Whether definitions may contain C#; when off they are refused at import, publication and compilation.</summary>
    public bool Enabled { get; init; }

    /// <summary>Wall-clock time one C# evaluation may take.</summary>
    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromSeconds(1);
}
