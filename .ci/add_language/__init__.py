"""The checks of .ci/add-language, by subject; run by .ci/add_language_check.py.

Import them only after ``django.setup()`` (the entry script does it first):
they read the models and the settings of the copy of the project.

    common        recording failures, the test client, what falls back to English
    snapshot      what is recorded before the language is added, and how
    database      settings, schema, existing content
    translations  translation report and PO export: the language at 0 %
    api           the API in the new language, and in the others as before
    access        permissions, staff groups, admin forms
"""
