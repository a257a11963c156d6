"""What each screen's help says above its keys, kept apart from the screens' code.

The keys themselves come from the bindings (:mod:`~tuipad.ui.screens.help`); these
texts are each screen's ``HELP``, the notes a key list cannot give.  They are plain
text, so they read the same in tuipad's help and in Textual's help panel.  Their line
breaks only keep this file's lines short: both help screens reflow the paragraphs
(separated by blank lines) to the width they have.
"""

from __future__ import annotations

SKETCHPAD = """\
Draw one digit with the mouse, or with the arrows and space. The
panel shows what the model reads, live, and settles when you lift
the pen. Its 8x8 grid is the 0..16 ink counts the model's grid part
received: the drawing is normalised the way the scanned training
digits were. The model also reads the pen's path, the order and
direction of the strokes, which the grid does not keep.

Saved drawings are {"strokes": [[[x, y], ...], ...]}, which tuipad
predict FILE reads. In tmux the mouse works as it is: tmux passes
the pane's mouse mode through. Over SSH only the cells that change
are sent.
"""
"""The sketchpad: what the panel means, files, tmux and SSH."""

CORRECT = "Wrong answer? Type the right digit (or click a bar)"
"""What the sketchpad's digit keys do."""

FIT = "Bring a drawing partly off the canvas back onto it"
"""What f does where a drawing is made (the canvas's border says when it is needed)."""

SELECT = "Select the next / previous digit (or right-click)"
"""What tab and shift+tab do in scribble mode."""

RELABEL = "Relabel the selected digit (kept as a sample)"
"""What the digit keys do in scribble mode."""

FIT_PAGE = "Bring a page partly off the canvas back onto it"
"""What f does in scribble mode (the line under the page says when it is needed)."""

SCRIBBLE = """\
Write whole numbers anywhere; after a pause each digit is framed and
the number read shows under it (over it at the foot of the page).
Strokes written one after another over the same columns are one
digit, so a 4 or a 5 in two strokes stays whole, and ink added
inside a digit's frame later touches that digit up. Digits on a line
with small gaps are one number, read left to right; a dot low on
its line is a decimal point, and a short dash before its digits at
mid-height a minus sign (a digit key makes either a digit). Hover
over a digit or select it (tab, or right-click) to see its scores; the
arrows move the selected digit, else the cursor. When a smaller
terminal cuts off the page, the line under it says so and f brings
all of it back.
"""
"""Scribble mode: how writing is grouped, and where the scores are."""

TEACH = """\
Draw the digit it asks for and press enter: each drawing is kept as
a personal sample, and the round goes on where you left it next
time. + and - change how many of each digit a round asks for. A
drawing the model surely reads as another digit is kept all the same,
with a warning: ctrl+u retakes it. At the end of a round, and when you
leave teach mode part-way, the model adapts to your samples in the
background and a notice says when it is done (A turns that off).
"""
"""Teach mode: what a round is."""

BROWSE = """\
Your personal samples (corrections and teach mode), with the counts
per digit at the top. Type a digit to relabel the sample under the
cursor; delete asks again before it deletes, and u brings back the
samples deleted while the list is open, the last one first.
"""
"""Browsing the samples."""

TRAIN = """\
Train tab: choose a model family and its data, then Train (ctrl+t);
ctrl+c cancels. svc-seed, the original demo, comes without the pen
digits and copies (seconds, not minutes) until you tick them yourself.
Make active (ctrl+a, from any tab) makes the new model the
sketchpad's (not offered for a k-NN: it has no array form). Retrain
with my samples adapts the shipped model to your samples in a few
seconds, whichever model is active, and makes the result the active
model.

Report and Matrix tabs: the active model's test when the screen opens,
then each training's. A training that ends opens the Report tab, unless
you moved to another tab while it ran. In the matrix the arrows move
between cells and enter lists the digits behind one.

Models tab: the saved models. Enter shows a model's report and matrix;
Make active switches the sketchpad to the one under the cursor; Delete
asks twice.
"""
"""The training screen: its tabs and buttons."""
