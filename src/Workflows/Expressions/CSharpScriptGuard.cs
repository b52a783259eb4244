using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GovFlow.Workflows.Expressions;

/// <summary>
/// Called by sandboxed C# at the top of every loop body and every method, local function and lambda (the rewriter
/// puts the calls there): past the deadline it throws, and near the end of the stack it throws instead of letting
/// the process die of a stack overflow. .NET cannot abort a thread, so a script must stop itself; this makes it.
/// Not callable from scripts: the sandbox refuses every GovFlow type but the globals.
/// </summary>
public static class CSharpScriptGuard
{
    private static readonly AsyncLocal<Budget?> Current = new();

    /// <summary>Stops the script when its time is up or its stack nearly exhausted.</summary>
    public static void Tick()
    {
        // The budget flows into tasks the script starts, so work it hands to the thread pool is bounded too.
        if (Current.Value is not { } budget) return;
        if (Stopwatch.GetTimestamp() > budget.Deadline) throw new ScriptLimitException(budget.Message);
        RuntimeHelpers.EnsureSufficientExecutionStack();
    }

    /// <summary>Sets the deadline of the evaluation about to run on this flow; disposing restores the previous one.</summary>
    internal static IDisposable Begin(long deadline, string message)
    {
        var previous = Current.Value;
        Current.Value = new Budget(deadline, message);
        return new Restore(previous);
    }

    private sealed record Budget(long Deadline, string Message);

    private sealed class Restore(Budget? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}

/// <summary>Puts a <see cref="CSharpScriptGuard.Tick"/> call into every loop body and at the start of every function of a script.</summary>
internal sealed class CSharpGuardRewriter(SemanticModel model) : CSharpSyntaxRewriter
{
    private static StatementSyntax Tick() => SyntaxFactory.ParseStatement("global::GovFlow.Workflows.Expressions.CSharpScriptGuard.Tick();");

    private static BlockSyntax Guarded(StatementSyntax body) => body is BlockSyntax block
        ? block.WithStatements(block.Statements.Insert(0, Tick()))
        : SyntaxFactory.Block(Tick(), body);

    public override SyntaxNode? VisitWhileStatement(WhileStatementSyntax node)
    {
        var n = (WhileStatementSyntax)base.VisitWhileStatement(node)!;
        return n.WithStatement(Guarded(n.Statement));
    }

    public override SyntaxNode? VisitDoStatement(DoStatementSyntax node)
    {
        var n = (DoStatementSyntax)base.VisitDoStatement(node)!;
        return n.WithStatement(Guarded(n.Statement));
    }

    public override SyntaxNode? VisitForStatement(ForStatementSyntax node)
    {
        var n = (ForStatementSyntax)base.VisitForStatement(node)!;
        return n.WithStatement(Guarded(n.Statement));
    }

    public override SyntaxNode? VisitForEachStatement(ForEachStatementSyntax node)
    {
        var n = (ForEachStatementSyntax)base.VisitForEachStatement(node)!;
        return n.WithStatement(Guarded(n.Statement));
    }

    public override SyntaxNode? VisitForEachVariableStatement(ForEachVariableStatementSyntax node)
    {
        var n = (ForEachVariableStatementSyntax)base.VisitForEachVariableStatement(node)!;
        return n.WithStatement(Guarded(n.Statement));
    }

    public override SyntaxNode? VisitMethodDeclaration(MethodDeclarationSyntax node)
    {
        var returnsNothing = ReturnsNothing(model.GetDeclaredSymbol(node));
        var n = (MethodDeclarationSyntax)base.VisitMethodDeclaration(node)!;
        return n.Body is { } body ? n.WithBody(Guarded(body))
            : n.ExpressionBody is { } arrow ? n.WithExpressionBody(null).WithSemicolonToken(default).WithBody(BodyOf(arrow.Expression, returnsNothing)) : n;
    }

    public override SyntaxNode? VisitLocalFunctionStatement(LocalFunctionStatementSyntax node)
    {
        var returnsNothing = ReturnsNothing(model.GetDeclaredSymbol(node) as IMethodSymbol);
        var n = (LocalFunctionStatementSyntax)base.VisitLocalFunctionStatement(node)!;
        return n.Body is { } body ? n.WithBody(Guarded(body))
            : n.ExpressionBody is { } arrow ? n.WithExpressionBody(null).WithSemicolonToken(default).WithBody(BodyOf(arrow.Expression, returnsNothing)) : n;
    }

    public override SyntaxNode? VisitParenthesizedLambdaExpression(ParenthesizedLambdaExpressionSyntax node) =>
        Lambda(node, (AnonymousFunctionExpressionSyntax)base.VisitParenthesizedLambdaExpression(node)!);

    public override SyntaxNode? VisitSimpleLambdaExpression(SimpleLambdaExpressionSyntax node) =>
        Lambda(node, (AnonymousFunctionExpressionSyntax)base.VisitSimpleLambdaExpression(node)!);

    public override SyntaxNode? VisitAnonymousMethodExpression(AnonymousMethodExpressionSyntax node) =>
        Lambda(node, (AnonymousFunctionExpressionSyntax)base.VisitAnonymousMethodExpression(node)!);

    private SyntaxNode Lambda(AnonymousFunctionExpressionSyntax original, AnonymousFunctionExpressionSyntax n)
    {
        var returnsNothing = ReturnsNothing(model.GetSymbolInfo(original).Symbol as IMethodSymbol);
        if (n.Block is { } block) return n.WithBlock(Guarded(block));
        return n.ExpressionBody is { } expression ? n.WithExpressionBody(null).WithBlock(BodyOf(expression, returnsNothing)) : n;
    }

    private static BlockSyntax BodyOf(ExpressionSyntax expression, bool returnsNothing) => SyntaxFactory.Block(Tick(), expression switch
    {
        ThrowExpressionSyntax t => SyntaxFactory.ThrowStatement(t.Expression),
        _ when returnsNothing => SyntaxFactory.ExpressionStatement(expression),
        _ => SyntaxFactory.ReturnStatement(expression.WithLeadingTrivia(SyntaxFactory.Space))
    });

    // An async method returning plain Task has no value to return, like a void one.
    private static bool ReturnsNothing(IMethodSymbol? method) => method is null || method.ReturnsVoid
        || method.IsAsync && method.ReturnType is INamedTypeSymbol { IsGenericType: false, Name: "Task" or "ValueTask" };
}
