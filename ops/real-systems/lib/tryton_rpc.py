#!/usr/bin/env python3
"""Tryton 6.0 set-up and smoke test over JSON-RPC (standard library only).

    tryton_rpc.py setup URL USER PASSWORD   -> prints key=value lines (ids for real-systems.properties)
    tryton_rpc.py smoke URL USER PASSWORD PROPERTIES_FILE -> creates party, product, sale; quote; confirm

Every set-up step is find-or-create, so running `setup` again on an initialised database changes nothing and
prints the same ids.
"""
import base64
import datetime
import decimal
import json
import sys
import time
import urllib.error
import urllib.request

TRACE = False  # set by --trace: print every call (method and params) to stderr


class TrytonError(Exception):
    pass


def encode(value):
    """Tryton's JSON extensions for Decimal, date and datetime."""
    if isinstance(value, decimal.Decimal):
        return {"__class__": "Decimal", "decimal": str(value)}
    if isinstance(value, datetime.datetime):
        return {"__class__": "datetime", "year": value.year, "month": value.month, "day": value.day,
                "hour": value.hour, "minute": value.minute, "second": value.second,
                "microsecond": value.microsecond}
    if isinstance(value, datetime.date):
        return {"__class__": "date", "year": value.year, "month": value.month, "day": value.day}
    raise TypeError(repr(value))


def decode(obj):
    cls = obj.get("__class__")
    if cls == "Decimal":
        return decimal.Decimal(obj["decimal"])
    if cls == "date":
        return datetime.date(obj["year"], obj["month"], obj["day"])
    if cls == "datetime":
        return datetime.datetime(obj["year"], obj["month"], obj["day"], obj.get("hour", 0),
                                 obj.get("minute", 0), obj.get("second", 0), obj.get("microsecond", 0))
    if cls == "bytes":
        return base64.b64decode(obj["base64"])
    return obj


class Tryton:
    def __init__(self, url, user, password):
        self.url = url if url.endswith("/") else url + "/"
        self.user = user
        self.password = password
        self.auth = None
        self.context = {}
        self.next_id = 0

    def call(self, method, *params):
        self.next_id += 1
        # "id" is needed: without it the answer is the bare result (or error) instead of {"id", "result"|"error"}
        body = json.dumps({"id": self.next_id, "method": method, "params": list(params)},
                          default=encode).encode()
        if TRACE:
            print("CALL %s %s" % (method, json.dumps(list(params), default=encode)), file=sys.stderr)
        # Content-Type must be application/json: without it trytond answers 500 with an HTML page
        headers = {"Content-Type": "application/json"}
        if self.auth:
            headers["Authorization"] = self.auth
        req = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=120) as resp:
                answer = json.loads(resp.read().decode(), object_hook=decode)
        except urllib.error.HTTPError as e:
            raise TrytonError("%s: HTTP %s %s" % (method, e.code, e.read()[:300]))
        if "error" in answer and answer["error"]:
            raise TrytonError("%s: %s" % (method, answer["error"]))
        return answer["result"]

    def login(self):
        user_id, session = self.call("common.db.login", self.user, {"password": self.password}, "en")
        token = "%s:%s:%s" % (self.user, user_id, session)
        self.auth = "Session " + base64.b64encode(token.encode()).decode()
        self.user_id = user_id
        self.refresh_context()
        return user_id

    def refresh_context(self):
        # the context the desktop client sends: language, company, companies, employee...
        self.context = self.call("model.res.user.get_preferences", True, {})

    def model(self, model, method, *args, context=None):
        ctx = dict(self.context)
        ctx.update(context or {})
        return self.call("model.%s.%s" % (model, method), *args, ctx)

    def search(self, model, domain, limit=None, order=None, context=None):
        return self.model(model, "search", domain, 0, limit, order, context=context)

    def read(self, model, ids, fields, context=None):
        return self.model(model, "read", ids, fields, context=context)

    def search_read(self, model, domain, fields, limit=None, context=None):
        return self.model(model, "search_read", domain, 0, limit, None, fields, context=context)

    def create(self, model, values, context=None):
        return self.model(model, "create", [values], context=context)[0]

    def find_or_create(self, model, domain, values, context=None):
        found = self.search(model, domain, limit=1, context=context)
        return found[0] if found else self.create(model, values, context=context)


def one(ids, what):
    if len(ids) != 1:
        raise TrytonError("expected one %s, found %s" % (what, ids))
    return ids[0]


COMPANY_NAME = "Conduit Test Company"
COUNTRIES = [("BE", "Belgium", "BEL"), ("DE", "Germany", "DEU"), ("FR", "France", "FRA"),
             ("NL", "Netherlands", "NLD"), ("GB", "United Kingdom", "GBR"), ("US", "United States", "USA")]


def setup(t):
    t.login()
    out = {}
    # currency: a fresh database has none
    eur = t.find_or_create("currency.currency", [("code", "=", "EUR")], {
        "name": "Euro", "code": "EUR", "symbol": "€", "numeric_code": "978",
        "rounding": decimal.Decimal("0.01"), "digits": 2})
    # company = a party + company.company with its currency
    companies = t.search("company.company", [("party.name", "=", COMPANY_NAME)], limit=1)
    if companies:
        company = companies[0]
    else:
        party = t.create("party.party", {"name": COMPANY_NAME, "addresses": [["create", [{
            "street": "1 Integration Way", "postal_code": "1000", "city": "Brussels"}]]]})
        company = t.create("company.company", {"party": party, "currency": eur})
    # the admin user works in that company (the context of later calls comes from the user's preferences)
    user = t.read("res.user", [t.user_id], ["company", "companies"])[0]
    if company not in user["companies"] or user["company"] != company:
        t.model("res.user", "write", [t.user_id], {"companies": [["add", [company]]], "company": company})
    t.refresh_context()
    if t.context.get("company") != company:
        raise TrytonError("user context has company %s, expected %s" % (t.context.get("company"), company))

    # chart of accounts from the template "Minimal Account Chart", through the account.create_chart wizard
    if not t.search("account.account", [("company", "=", company)], limit=1):
        template = one(t.search("account.account.template",
                                [("parent", "=", None), ("name", "=", "Minimal Account Chart")]),
                       "Minimal Account Chart template")
        ctx = dict(t.context)
        session, start_state, end_state = t.call("wizard.account.create_chart.create", ctx)
        t.call("wizard.account.create_chart.execute", session, {}, "account", ctx)
        result = t.call("wizard.account.create_chart.execute", session,
                        {"account": {"company": company, "account_template": template}},
                        "create_account", ctx)
        defaults = result["view"]["defaults"]  # the 'properties' view: one receivable / payable account found
        t.call("wizard.account.create_chart.execute", session, {"properties": {
            "company": company,
            "account_receivable": defaults["account_receivable"],
            "account_payable": defaults["account_payable"]}}, "create_properties", ctx)
        t.call("wizard.account.create_chart.delete", session, ctx)

    def account(kind):
        return one(t.search("account.account", [("company", "=", company), ("type.%s" % kind, "=", True),
                                                ("closed", "!=", True)]), "%s account" % kind)
    receivable, payable = account("receivable"), account("payable")
    revenue, expense = account("revenue"), account("expense")
    config = t.read("account.configuration", [1], ["default_account_receivable", "default_account_payable"])[0]
    if config["default_account_receivable"] != receivable or config["default_account_payable"] != payable:
        t.model("account.configuration", "write", [1], {
            "default_account_receivable": receivable, "default_account_payable": payable})

    # product category carrying the accounts (products point at it with account_category)
    category = t.find_or_create("product.category", [("name", "=", "Conduit goods")], {
        "name": "Conduit goods", "accounting": True,
        "account_revenue": revenue, "account_expense": expense})

    # fiscal year of today (and next year) with monthly periods, so that invoices can be posted
    fiscal_years = []
    for year in (datetime.date.today().year, datetime.date.today().year + 1):
        fiscal_years.append(fiscal_year(t, company, year))

    # a payment term "Immediate" (sales do not require one; invoices fall back to it if given)
    term = t.find_or_create("account.invoice.payment_term", [("name", "=", "Immediate")], {
        "name": "Immediate", "lines": [["create", [{"type": "remainder", "relativedeltas": [["create", [{}]]]}]]]})

    # the customer master (adapters/erp/tryton/customers.camel.yaml): payment terms named by their code, which the
    # canonical Customer carries, and the party category whose members are blocked customers (Tryton 6.0 has no
    # blocking flag on a party)
    terms = {}
    for code, months in (("NET30", 1), ("NET60", 2)):
        terms[code] = t.find_or_create("account.invoice.payment_term", [("name", "=", code)], {
            "name": code, "lines": [["create", [{"type": "remainder", "relativedeltas": [["create", [{"months": months}]]]}]]]})
    blocked = t.find_or_create("party.category", [("name", "=", "Blocked customers"), ("parent", "=", None)],
                               {"name": "Blocked customers"})
    # the supplier master (adapters/erp/tryton/vendors.camel.yaml): the party category whose members are the active
    # suppliers (a supplier deactivated in the CRM is taken out of it)
    suppliers = t.find_or_create("party.category", [("name", "=", "Suppliers"), ("parent", "=", None)],
                                 {"name": "Suppliers"})

    warehouse = one(t.search("stock.location", [("type", "=", "warehouse"), ("code", "=", "WH")]),
                    "warehouse WH")
    wh = t.read("stock.location", [warehouse], ["storage_location", "input_location", "output_location"])[0]
    unit = one(t.search("product.uom", [("symbol", "=", "u")]), "unit of measure 'u'")
    customer_loc = one(t.search("stock.location", [("type", "=", "customer")], limit=1), "customer location")
    supplier_loc = one(t.search("stock.location", [("type", "=", "supplier")], limit=1), "supplier location")
    lost_found = t.search("stock.location", [("type", "=", "lost_found")], limit=1)
    # the country table is empty in a fresh database (trytond_import_countries needs pycountry and proteus):
    # a few countries so that addresses can carry one
    countries = {}
    for code, name, code3 in COUNTRIES:
        countries[code] = t.find_or_create("country.country", [("code", "=", code)],
                                           {"code": code, "name": name, "code3": code3})

    # the payment status (adapters/erp/tryton/invoices.camel.yaml) reads customer invoices and the payments booked on
    # them: a payment method "Cash" (the account module's cash journal CASH, the chart's cash account) through which
    # the contract tests book payments with the invoice's Pay wizard, as accounting does; and customer invoices may be
    # cancelled once posted (a company setting, off by default; the contract test cancels one)
    cash_journal = one(t.search("account.journal", [("code", "=", "CASH"), ("type", "=", "cash")], limit=1),
                       "journal CASH")
    cash = one(t.search("account.account", [("company", "=", company), ("name", "=", "Main Cash"),
                                            ("closed", "!=", True)], limit=1), "account Main Cash")
    payment_method = t.find_or_create("account.invoice.payment.method", [("name", "=", "Cash"), ("company", "=", company)], {
        "name": "Cash", "company": company, "journal": cash_journal, "credit_account": cash, "debit_account": cash})
    if not t.read("company.company", [company], ["cancel_invoice_out"])[0]["cancel_invoice_out"]:
        t.model("company.company", "write", [company], {"cancel_invoice_out": True})

    # business trips (adapters/erp/tryton/trips.camel.yaml): a journal of their own, whose moves are the trips'
    # commitments, and the cost centres as analytic accounts (module analytic_account) under a root "Cost centres",
    # with the travel cost centres the sandbox ERP has (its budget lines TRV-*)
    journal_sequence = one(t.search("ir.sequence", [("sequence_type.name", "=", "Account Journal")], limit=1),
                           "sequence of type Account Journal")
    trip_journal = t.find_or_create("account.journal", [("code", "=", "TRIP")], {
        "name": "Business trips", "code": "TRIP", "type": "general", "sequence": journal_sequence})
    cost_centres = t.find_or_create("analytic_account.account", [
        ("type", "=", "root"), ("name", "=", "Cost centres"), ("company", "=", company)], {
        "name": "Cost centres", "type": "root", "company": company, "state": "opened"})
    for code, name in (("TRV-SALES", "Travel Sales"), ("TRV-PRD", "Travel Production"), ("TRV-IT", "Travel IT"),
                       ("TRV-FIN", "Travel Finance")):
        t.find_or_create("analytic_account.account", [("code", "=", code), ("company", "=", company)], {
            "name": name, "code": code, "type": "normal", "company": company, "root": cost_centres,
            "parent": cost_centres, "state": "opened"})

    out.update({
        "tryton.trip-journal-id": trip_journal,
        "tryton.cost-centre-root-id": cost_centres,
        "tryton.company-id": company,
        "tryton.company-party-id": t.read("company.company", [company], ["party"])[0]["party"],
        "tryton.currency-id": eur,
        "tryton.currency-code": "EUR",
        "tryton.warehouse-id": warehouse,
        "tryton.warehouse-storage-location-id": wh["storage_location"],
        "tryton.warehouse-input-location-id": wh["input_location"],
        "tryton.warehouse-output-location-id": wh["output_location"],
        "tryton.customer-location-id": customer_loc,
        "tryton.supplier-location-id": supplier_loc,
        "tryton.lost-found-location-id": lost_found[0] if lost_found else "",
        "tryton.product-category-id": category,
        "tryton.uom-unit-id": unit,
        "tryton.payment-term-id": term,
        "tryton.payment-term-net30-id": terms["NET30"],
        "tryton.blocked-customers-category-id": blocked,
        "tryton.suppliers-category-id": suppliers,
        "tryton.account-receivable-id": receivable,
        "tryton.account-payable-id": payable,
        "tryton.account-revenue-id": revenue,
        "tryton.account-expense-id": expense,
        "tryton.payment-method-id": payment_method,
        "tryton.fiscal-year-ids": ",".join(str(f) for f in fiscal_years),
        "tryton.country-ids": ",".join("%s:%s" % kv for kv in countries.items()),
    })
    return out


def fiscal_year(t, company, year):
    name = str(year)
    found = t.search("account.fiscalyear", [("name", "=", name), ("company", "=", company)], limit=1)
    if found:
        return found[0]
    seq_type = one(t.search("ir.sequence.type", [("name", "=", "Account Move")]), "sequence type Account Move")
    inv_type = one(t.search("ir.sequence.type", [("name", "=", "Invoice")]), "sequence type Invoice")

    def sequence(label, type_id, prefix):
        return t.create("ir.sequence.strict" if type_id == inv_type else "ir.sequence", {
            "name": "%s %s" % (label, year), "sequence_type": type_id, "company": company,
            "prefix": prefix, "padding": 5})
    move_seq = sequence("Account Move", seq_type, "M%s-" % year)
    out_inv = sequence("Customer Invoice", inv_type, "INV%s-" % year)
    out_cn = sequence("Customer Credit Note", inv_type, "CN%s-" % year)
    in_inv = sequence("Supplier Invoice", inv_type, "SINV%s-" % year)
    in_cn = sequence("Supplier Credit Note", inv_type, "SCN%s-" % year)
    fy = t.create("account.fiscalyear", {
        "name": name, "company": company,
        "start_date": datetime.date(year, 1, 1), "end_date": datetime.date(year, 12, 31),
        "post_move_sequence": move_seq,
        "invoice_sequences": [["create", [{
            "company": company, "out_invoice_sequence": out_inv, "out_credit_note_sequence": out_cn,
            "in_invoice_sequence": in_inv, "in_credit_note_sequence": in_cn}]]]})
    t.model("account.fiscalyear", "create_period", [fy])
    return fy


def read_properties(path):
    props = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                k, v = line.split("=", 1)
                props[k.strip()] = v.strip()
    return props


def smoke(t, props):
    t.login()
    test_id = "SMOKE-%d" % int(time.time() * 1000)
    company = int(props["tryton.company-id"])
    # the smallest context an adapter needs: the company (the preferences read at login carry more)
    t.context = {"company": company}
    warehouse = int(props["tryton.warehouse-id"])
    category = int(props["tryton.product-category-id"])
    unit = int(props["tryton.uom-unit-id"])
    currency = int(props["tryton.currency-id"])
    # party with one address (an explicit address: a party created over RPC otherwise gets one blank address)
    party = t.create("party.party", {
        "name": "Smoke Customer %s" % test_id,
        "addresses": [["create", [{"street": "2 Test Street", "postal_code": "1000", "city": "Brussels"}]]],
        "contact_mechanisms": [["create", [{"type": "email", "value": "smoke@example.com"}]]]})
    address = one(t.search("party.address", [("party", "=", party)]), "address")
    # product: a template (goods, salable, list price, category with accounts) with one variant
    template = t.create("product.template", {
        "name": "Smoke Pump %s" % test_id, "type": "goods", "default_uom": unit,
        "list_price": decimal.Decimal("25.00"), "salable": True, "sale_uom": unit,
        "account_category": category,
        "products": [["create", [{"suffix_code": test_id, "cost_price": decimal.Decimal("10.00")}]]]})
    product = one(t.search("product.product", [("template", "=", template)]), "product")
    # sale with one line; reference = the external order id
    sale = t.create("sale.sale", {
        "company": company, "party": party, "invoice_address": address, "shipment_address": address,
        "currency": currency, "warehouse": warehouse, "reference": test_id,
        "sale_date": datetime.date.today(),
        "lines": [["create", [{
            "type": "line", "product": product, "quantity": 2.0, "unit": unit,
            "unit_price": decimal.Decimal("25.00"), "description": "Smoke Pump"}]]]})
    t.model("sale.sale", "quote", [sale])
    quoted = t.read("sale.sale", [sale], ["number", "state"])[0]
    t.model("sale.sale", "confirm", [sale])
    sale_row = t.read("sale.sale", [sale], [
        "number", "state", "reference", "total_amount", "invoice_state", "shipment_state"])[0]
    found = t.search("sale.sale", [("reference", "=", test_id)])
    if sale_row["state"] not in ("confirmed", "processing") or found != [sale] or not sale_row["number"]:
        raise TrytonError("unexpected sale after confirm: %s (search by reference: %s)" % (sale_row, found))
    # stock quantity of the product in the warehouse (0: nothing received yet)
    qty = t.read("product.product", [product], ["quantity", "forecast_quantity"],
                 context={"locations": [warehouse]})[0]
    return {"test_id": test_id, "party": party, "address": address, "template": template, "product": product,
            "sale": sale, "after_quote": quoted, "after_confirm": sale_row, "stock": qty}


def main(argv):
    global TRACE
    if "--trace" in argv:
        TRACE = True
        argv = [a for a in argv if a != "--trace"]
    cmd, url, user, password = argv[1:5]
    t = Tryton(url, user, password)
    if cmd == "setup":
        for k, v in setup(t).items():
            print("%s=%s" % (k, v))
    elif cmd == "smoke":
        print(json.dumps(smoke(t, read_properties(argv[5])), default=str, indent=1))
    elif cmd == "ping":
        print(t.call("common.server.version"))
    else:
        raise SystemExit("unknown command " + cmd)


if __name__ == "__main__":
    try:
        main(sys.argv)
    except TrytonError as e:
        print("tryton: %s" % e, file=sys.stderr)
        sys.exit(1)
