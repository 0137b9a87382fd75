"""A small spec and reference pages for it, written for these tests in the published format."""

from __future__ import annotations

SPEC = """\
openapi: 3.1.0
info: {title: Labels, version: "1"}
paths:
  /api/labels/:
    post:
      operationId: create_label
      summary: Create a label
      externalDocs: {url: "{base}/docs/create-label"}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/LabelCreate"}
            examples:
              docs:
                value: {name: urgent, color: "#ff0000", weight: 2.5, tags: [triage]}
      responses:
        "201":
          description: Created label.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Label"}
              examples:
                docs:
                  value:
                    id: lbl_1
                    name: urgent
                    color: "#ff0000"
                    weight: 2.5
                    tags: [triage]
                    kind: manual
                    created_at: "2026-01-02T03:04:05Z"
                    meta: {source: ui}
        "400": {description: Bad request.}
        "401": {description: Unauthorized.}
  /api/labels/{label_id}/:
    parameters:
      - {name: label_id, in: path, required: true, schema: {type: string}}
    get:
      operationId: retrieve_label
      summary: Retrieve a label
      externalDocs: {url: "{base}/docs/retrieve-label"}
      responses:
        "200":
          description: The label.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Label"}
        "401": {description: Unauthorized.}
        "404": {description: Not found.}
    delete:
      operationId: delete_label
      summary: Delete a label
      externalDocs: {url: "{base}/docs/delete-label"}
      responses:
        "204": {description: Deleted.}
components:
  schemas:
    LabelKind:
      type: string
      enum: [manual, automatic]
    LabelCreate:
      type: object
      required: [name]
      properties:
        name: {type: string}
        color: {type: [string, "null"]}
        weight: {type: number}
        tags: {type: array, items: {type: string}}
        kind: {$ref: "#/components/schemas/LabelKind"}
        settings: {type: object, additionalProperties: true}
    Label:
      type: object
      required: [id]
      properties:
        id: {type: string}
        name: {type: string}
        color: {type: [string, "null"]}
        weight: {type: [number, "null"]}
        tags:
          anyOf:
            - {type: array, items: {type: string}}
            - {type: "null"}
        kind:
          anyOf:
            - {$ref: "#/components/schemas/LabelKind"}
            - {type: string}
        created_at: {type: string, format: date-time}
        meta: {type: object, additionalProperties: {type: string}}
"""

# Navigation, breadcrumb, title, method and URL, curl, numbered response, description, footer,
# then the field lists: the layout of Respan's pages, with an API of its own.
CREATE = """\
For AI agents: a documentation index is available at /llms.txt. Append .md to any page.
DiscordPlatform
DocumentationAPI referenceChangelog
  • API Reference
      • POSTCreate a label
      • GETRetrieve a label
      • DELDelete a label
LogoLogo
API ReferenceLabels

Create a label

POST
https://api.example.test/api/labels/
POST
/api/labels/
$curl -X POST https://api.example.test/api/labels/ \\
> -H "Authorization: Bearer sk_test" \\
> -H "Content-Type: application/json" \\
> -d '{
> "name": "urgent",
> "color": "#ff0000",
> "weight": 2.5,
> "tags": [
> "triage"
> ]
>}'
1{
2 "id": "lbl_1",
3 "name": "urgent",
4 "color": "#ff0000",
5 "weight": 2.5,
6 "tags": [
7 "triage"
8 ],
9 "kind": "manual",
10 "created_at": "2026-01-02T03:04:05Z",
11 "meta": {
12 "source": "ui"
13 }
14}

Create a label for sorting work items.

Was this page helpful?
Previous

Retrieve a label

Next
Built with

Headers

AuthorizationstringRequired

Bearer token.

Request

This endpoint expects an object.
namestringRequired

Display name of the label. It is shown
on every item that carries the label.

colorstring or nullOptional
weightdoubleOptional
Sort weight.
tagslist of stringsOptional
kindenumOptional
Allowed values:
settingsmap from strings to anyOptional

Response

Created label.
idstring
Label ID.
namestring
colorstring or null
weightdouble or null
tagslist of strings or null
kindenum
created_atdatetime
When the label was created.
metamap from strings to strings

Errors

400
Bad Request Error
401
Unauthorized Error

Create a label for sorting work items.
"""

RETRIEVE = """\
Retrieve a label

GET
https://api.example.test/api/labels/:label_id/
GET
/api/labels/:label_id/

Retrieve a label by its ID.

Path parameters

label_idstringRequired

Response

idstring
namestring
colorstring or null
weightdouble or null
tagslist of strings or null
kindenum
created_atdatetime
metamap from strings to strings

Errors

401
Unauthorized Error
404
Not Found Error
"""

DELETE = """\
Delete a label

DELETE
https://api.example.test/api/labels/:label_id/

Path parameters

label_idstringRequired

The label's ID.
"""
