using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GovFlow.Workflows.Expressions;

/// <summary>
/// The allow-list a C# script is checked against: every symbol the compiler bound in it (types, members, the
/// types of expressions, late-bound candidates) must belong to an allowed namespace and not be a refused type.
/// Checking the bound symbols rather than the text means aliases, <c>var</c> and fully qualified names cannot hide
/// a type. <c>dynamic</c> is allowed only as Elsa's <c>Variables.X</c>, <c>Input.X</c> and <c>Output.X</c>: any other
/// dynamic member access would be bound at run time, beyond this check.
/// </summary>
public static class CSharpSandbox
{
    private static readonly HashSet<string> AllowedNamespaces = new(StringComparer.Ordinal)
    {
        "System", "System.Collections", "System.Collections.Generic", "System.Collections.ObjectModel", "System.Linq",
        // Not System.Text.RegularExpressions: a backtracking pattern runs inside the regex engine, out of the guard's reach.
        "System.Text", "System.Text.Json", "System.Text.Json.Nodes", "System.Globalization",
        "System.Numerics", "System.Threading.Tasks"
    };

    // In 'System' itself: the doors to reflection, the process, the machine and raw memory.
    private static readonly HashSet<string> RefusedTypes = new(StringComparer.Ordinal)
    {
        "System.Type", "System.Activator", "System.AppDomain", "System.AppContext", "System.Environment", "System.GC",
        "System.Console", "System.Delegate", "System.MulticastDelegate", "System.RuntimeTypeHandle", "System.RuntimeMethodHandle",
        "System.RuntimeFieldHandle", "System.ModuleHandle", "System.TypedReference", "System.ArgIterator", "System.IntPtr",
        "System.UIntPtr", "System.Buffer", "System.MarshalByRefObject", "System.Threading.Tasks.TaskScheduler"
    };

    // What a script may call on a value it got through Variables/Input/Output: these bind at run time, on whatever
    // the value is, so only members of plain values are allowed (GetType, for one, would open reflection).
    private static readonly HashSet<string> DynamicMembers = new(StringComparer.Ordinal)
    {
        "ToString", "Equals", "CompareTo", "Contains", "StartsWith", "EndsWith", "Substring", "Trim", "TrimStart", "TrimEnd",
        "ToUpper", "ToLower", "ToUpperInvariant", "ToLowerInvariant", "Length", "Count", "Split", "Replace", "IndexOf",
        "LastIndexOf", "PadLeft", "PadRight", "IsEmpty", "Keys", "Values", "ContainsKey", "Add", "Remove", "Insert", "Clear",
        "Year", "Month", "Day", "Hour", "Minute", "Second", "Date", "DayOfWeek", "DayOfYear", "AddDays", "AddMonths",
        "AddYears", "AddHours", "AddMinutes", "AddSeconds", "TotalDays", "TotalHours", "TotalMinutes", "TotalSeconds",
        "Value", "HasValue", "ToJsonString", "AsObject", "AsArray", "AsValue"
    };

    // Blocking on a task would hold the thread beyond the guard's reach (a script may await instead: that is bounded).
    private static readonly HashSet<string> BlockingMembers = new(StringComparer.Ordinal) { "Wait", "WaitAll", "WaitAny", "Result", "RunSynchronously" };

    private const string GlobalsType = "GovFlow.Workflows.Expressions.CSharpGlobals";

    /// <summary>The first thing the script may not use (a symbol's full name or a construct), or null when it is clean.</summary>
    public static string? FindRefused(SyntaxTree tree, SemanticModel model)
    {
        var root = tree.GetCompilationUnitRoot();
        if (root.GetReferenceDirectives().Count > 0) return "#r";
        if (root.GetLoadDirectives().Count > 0) return "#load";
        var scriptAssembly = model.Compilation.Assembly;
        foreach (var node in root.DescendantNodes())
        {
            if (Construct(node) is { } construct) return construct;
            if (node is not (ExpressionSyntax or TypeSyntax)) continue;
            if (node is MemberAccessExpressionSyntax access && IsDynamic(model.GetTypeInfo(access.Expression).Type)
                && !IsGlobalAccessor(model, access.Expression) && !DynamicMembers.Contains(access.Name.Identifier.Text))
                return $"dynamic .{access.Name.Identifier.Text}";
            if (node is MemberBindingExpressionSyntax binding && binding.Parent?.Parent is ConditionalAccessExpressionSyntax conditional
                && IsDynamic(model.GetTypeInfo(conditional.Expression).Type) && !DynamicMembers.Contains(binding.Name.Identifier.Text))
                return $"dynamic .{binding.Name.Identifier.Text}";
            if (node is InvocationExpressionSyntax call && IsDynamic(model.GetTypeInfo(call.Expression).Type)
                && call.Expression is not (MemberAccessExpressionSyntax or MemberBindingExpressionSyntax))
                return "dynamic";
            if (node is IdentifierNameSyntax { Identifier.Text: "dynamic" } && model.GetSymbolInfo(node).Symbol is ITypeSymbol { TypeKind: TypeKind.Dynamic })
                return "dynamic";
            var info = model.GetSymbolInfo(node);
            if (info.Symbol is { } symbol && Refused(symbol, scriptAssembly) is { } s) return s;
            foreach (var candidate in info.CandidateSymbols)
                if (Refused(candidate, scriptAssembly) is { } c) return c;
            var type = model.GetTypeInfo(node);
            if ((RefusedType(type.Type, scriptAssembly) ?? RefusedType(type.ConvertedType, scriptAssembly)) is { } t) return t;
        }
        return null;
    }

    private static string? Construct(SyntaxNode node) => node switch
    {
        GotoStatementSyntax or LabeledStatementSyntax => "goto",
        StackAllocArrayCreationExpressionSyntax or ImplicitStackAllocArrayCreationExpressionSyntax => "stackalloc",
        BaseTypeDeclarationSyntax or DelegateDeclarationSyntax => "type declarations",
        // Members other than methods and fields would run outside the guard's reach (property getters, operators, finalizers).
        BasePropertyDeclarationSyntax or OperatorDeclarationSyntax or ConversionOperatorDeclarationSyntax or DestructorDeclarationSyntax => "property and operator declarations",
        ExternAliasDirectiveSyntax => "extern alias",
        UnsafeStatementSyntax or FixedStatementSyntax or PointerTypeSyntax or FunctionPointerTypeSyntax => "unsafe code",
        MakeRefExpressionSyntax or RefTypeExpressionSyntax or RefValueExpressionSyntax => "__makeref",
        _ => null
    };

    private static bool IsDynamic(ITypeSymbol? type) => type?.TypeKind == TypeKind.Dynamic;

    private static bool IsGlobalAccessor(SemanticModel model, ExpressionSyntax receiver) =>
        model.GetSymbolInfo(receiver).Symbol is IPropertySymbol p && p.ContainingType.ToDisplayString() == GlobalsType && IsDynamic(p.Type);

    private static string? Refused(ISymbol symbol, IAssemblySymbol scriptAssembly) => symbol switch
    {
        INamespaceSymbol ns => ns.IsGlobalNamespace || AllowedNamespaces.Contains(ns.ToDisplayString()) || AllowedNamespaces.Any(a => a.StartsWith(ns.ToDisplayString() + ".", StringComparison.Ordinal))
            ? null : ns.ToDisplayString(),
        ITypeSymbol type => RefusedType(type, scriptAssembly),
        IAliasSymbol alias => Refused(alias.Target, scriptAssembly),
        IMethodSymbol or IPropertySymbol when Blocking(symbol) => $"{symbol.ContainingType.OriginalDefinition.ToDisplayString()}.{symbol.Name}",
        IMethodSymbol method => RefusedType(method.ContainingType, scriptAssembly) ?? RefusedType(method.ReturnType, scriptAssembly)
            ?? method.TypeArguments.Select(a => RefusedType(a, scriptAssembly)).FirstOrDefault(r => r != null)
            ?? method.Parameters.Select(p => RefusedType(p.Type, scriptAssembly)).FirstOrDefault(r => r != null),
        IPropertySymbol property => RefusedType(property.ContainingType, scriptAssembly) ?? RefusedType(property.Type, scriptAssembly),
        IFieldSymbol field => RefusedType(field.ContainingType, scriptAssembly) ?? RefusedType(field.Type, scriptAssembly),
        IEventSymbol e => RefusedType(e.ContainingType, scriptAssembly) ?? RefusedType(e.Type, scriptAssembly),
        ILocalSymbol local => RefusedType(local.Type, scriptAssembly),
        IParameterSymbol parameter => RefusedType(parameter.Type, scriptAssembly),
        IRangeVariableSymbol or ILabelSymbol or IDiscardSymbol or IPreprocessingSymbol => null,
        _ => symbol.ToDisplayString()
    };

    private static bool Blocking(ISymbol member) =>
        BlockingMembers.Contains(member.Name) && member.ContainingType?.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks";

    private static string? RefusedType(ITypeSymbol? type, IAssemblySymbol scriptAssembly)
    {
        switch (type)
        {
            case null or ITypeParameterSymbol or IErrorTypeSymbol:
                return null;
            case IDynamicTypeSymbol:
                return null; // judged where it is used (FindRefused)
            case IArrayTypeSymbol array:
                return RefusedType(array.ElementType, scriptAssembly);
            case IPointerTypeSymbol or IFunctionPointerTypeSymbol:
                return type.ToDisplayString();
            case INamedTypeSymbol named:
                if (SymbolEqualityComparer.Default.Equals(named.ContainingAssembly, scriptAssembly)) return null;
                if (named.IsAnonymousType) return named.GetMembers().OfType<IPropertySymbol>().Select(p => RefusedType(p.Type, scriptAssembly)).FirstOrDefault(r => r != null);
                if (named.IsTupleType) return named.TupleElements.Select(e => RefusedType(e.Type, scriptAssembly)).FirstOrDefault(r => r != null);
                var definition = named.OriginalDefinition;
                if (definition.ContainingType is { } containing)
                {
                    if (RefusedType(containing, scriptAssembly) is { } outer) return outer;
                }
                else
                {
                    var full = Strip(definition);
                    if (full == GlobalsType) return null;
                    if (RefusedTypes.Contains(full) || !AllowedNamespaces.Contains(definition.ContainingNamespace?.ToDisplayString() ?? "")) return full;
                }
                return named.TypeArguments.Select(a => RefusedType(a, scriptAssembly)).FirstOrDefault(r => r != null);
            default:
                return type.ToDisplayString();
        }
    }

    // The full name without generic arguments, e.g. System.Collections.Generic.List<T> -> System.Collections.Generic.List.
    private static string Strip(INamedTypeSymbol definition)
    {
        var ns = definition.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() + "." : "";
        var outer = definition.ContainingType is { } c ? Strip(c.OriginalDefinition) + "." : ns;
        return outer + definition.Name;
    }
}
