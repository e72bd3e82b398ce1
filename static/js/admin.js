// The admin's search boxes, named for screen readers.
//
// Select2 hides each search box's <select> and draws its own box over it, a
// <span role="combobox"> that no <label> points at: a screen reader announces it
// nameless. It takes the name of its select: the text of the select's <label>, or, in a
// table of rows, the select's aria-label (RecordInline names each row's boxes).
'use strict';
{
    function nameOf(select) {
        const label = select.id && document.querySelector(`label[for="${CSS.escape(select.id)}"]`);
        const name = label ? label.textContent : select.getAttribute('aria-label') || '';
        return name.trim().replace(/:$/, '');
    }

    // The × that clears a box is for the mouse (the keyboard clears with Delete): hidden
    // from screen readers, it is no stray item in a list of choices, nor part of a name.
    // Select2 draws it anew at each change of choice.
    function hideClearButton(select) {
        const container = select.nextElementSibling;
        if (container) {
            for (const clear of container.querySelectorAll('.select2-selection__clear')) {
                clear.setAttribute('aria-hidden', 'true');
            }
        }
    }

    function nameSearchBox(select) {
        const container = select.nextElementSibling;
        const box = container && container.querySelector('.select2-selection[role=combobox]');
        const name = nameOf(select);
        if (!box || !name) {
            return;
        }
        box.setAttribute('aria-label', name);
        // A box of one choice shows it in a "textbox" that select2 names the box by: read
        // as the name then the choice ("Country Uzbekistan"), it is text, not a box.
        const choice = box.querySelector('.select2-selection__rendered[id]');
        if (choice) {
            choice.removeAttribute('role');
            choice.removeAttribute('aria-readonly');
            box.id = `${choice.id}-box`;
            box.setAttribute('aria-labelledby', `${box.id} ${choice.id}`);
        }
        // A box of many choices has a box to type in, inside it.
        const typed = box.querySelector('.select2-search__field');
        if (typed) {
            typed.setAttribute('aria-label', name);
        }
        hideClearButton(select);
    }

    function nameSearchBoxes(root) {
        root.querySelectorAll('select.admin-autocomplete').forEach(nameSearchBox);
    }

    // Select2 draws its boxes when the page is ready (Django's autocomplete.js asks jQuery
    // first; this asks after it), and a row's boxes when "Add another" adds the row.
    if (window.django && django.jQuery) {
        const $ = django.jQuery;
        $(() => nameSearchBoxes(document));
        $(document).on('change', 'select.admin-autocomplete', (event) => hideClearButton(event.target));
        // The box to type a search in, shown when a box of one choice opens.
        $(document).on('select2:open', (event) => {
            const typed = document.querySelector('.select2-dropdown .select2-search__field');
            if (typed) {
                typed.setAttribute('aria-label', nameOf(event.target));
            }
        });
    }
    document.addEventListener('formset:added', (event) => nameSearchBoxes(event.target));
}
