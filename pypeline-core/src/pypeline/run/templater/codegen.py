"""Compiled templates that pass their loops, ``~`` and output through the render limits.

Jinja2 compiles a template to Python, and three things in that Python run past every sandbox
hook: a ``for`` loop's steps (``{% for i in range(10**6) %}{% for j in range(10**6) %}`` is a
trillion steps without a single call), ``~`` (``{% set s = s ~ s %}`` doubles a string), list,
tuple and dict literals (``[s, s, s]``, nested, grow exponentially with the source), and output,
including what loops and macros write into the buffers of ``{% set %}`` blocks and filter
blocks. The generated code hands each to the environment instead (``Sandbox.limited_loop``,
``limited_concat``, ``limited_literal``, ``output``, ``output_text``), which checks the clock,
counts the sizes, and notes the output to mask once the template has read a secret.

``code_generator_class`` is Jinja2's documented way to change the Python a template compiles
to; ``jinja2.nativetypes`` overrides the same ``_output_*`` methods.
"""

from __future__ import annotations

from typing import Any

from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame


class LimitedCodeGenerator(CodeGenerator):
    """Jinja2's code generator, with loops, ``~`` and output routed through the environment."""

    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        for loop in node.find_all(nodes.For):
            hook = nodes.EnvironmentAttribute("limited_loop", lineno=loop.iter.lineno)
            loop.iter = nodes.Call(hook, [loop.iter], [], None, None, lineno=loop.iter.lineno)
        super().visit_Template(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        # As Jinja2's own, but the parts go to ``limited_concat`` with the join to use.
        if frame.eval_ctx.volatile:
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        elif frame.eval_ctx.autoescape:
            join = "markup_join"
        else:
            join = "str_join"
        self.write(f"environment.limited_concat({join}, (")
        for part in node.nodes:
            self.visit(part, frame)
            self.write(", ")
        self.write("))")

    def visit_List(self, node: nodes.List, frame: Frame) -> None:
        self._limited_literal(node, frame, super().visit_List)

    def visit_Dict(self, node: nodes.Dict, frame: Frame) -> None:
        self._limited_literal(node, frame, super().visit_Dict)

    def visit_Tuple(self, node: nodes.Tuple, frame: Frame) -> None:
        if node.ctx != "load":  # an assignment target: ``{% set a, b = ... %}``
            super().visit_Tuple(node, frame)
        else:
            self._limited_literal(node, frame, super().visit_Tuple)

    def _limited_literal(self, node: Any, frame: Frame, visit: Any) -> None:
        # ``[s, s, s]`` holds ``s`` three times: nested literals grow exponentially with the
        # source, so each is sized when it is built.
        self.write("environment.limited_literal(")
        visit(node, frame)
        self.write(")")

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        self.write("environment.output(")
        super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        super()._output_child_post(node, frame, finalize)
        self.write(")")

    def start_write(self, frame: Frame, node: nodes.Node | None = None) -> None:
        # What ``{% filter %}`` and ``{% call %}`` blocks and recursive loops write.
        super().start_write(frame, node)
        self.write("environment.output(")

    def end_write(self, frame: Frame) -> None:
        self.write(")")
        super().end_write(frame)

    def _output_const_repr(self, group: Any) -> str:
        return f"environment.output_text({super()._output_const_repr(group)})"
